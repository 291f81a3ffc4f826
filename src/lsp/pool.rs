//! LSP: the worker pool that answers requests, so that a slow one (the first
//! question after a change computes the whole set's analysis) holds up
//! neither the main loop nor the requests behind it.

use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs in arrival order.
pub struct Pool {
    jobs: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// `size` threads (at least one).
    pub fn new(size: usize) -> Pool {
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        let threads = (0..size.max(1))
            .map(|i| {
                let queue: Receiver<Job> = queue.clone();
                std::thread::Builder::new()
                    .name(format!("atom-lsp-{i}"))
                    .spawn(move || {
                        for job in queue {
                            job();
                        }
                    })
            })
            .filter_map(Result::ok)
            .collect();
        Pool {
            jobs: Some(jobs),
            threads,
        }
    }

    /// Runs `job` on the next free thread (on this one if no thread could
    /// be started).
    pub fn run(&self, job: impl FnOnce() + Send + 'static) {
        let job: Job = Box::new(job);
        let refused = match &self.jobs {
            Some(jobs) if !self.threads.is_empty() => jobs.send(job).err().map(|e| e.0),
            _ => Some(job),
        };
        if let Some(job) = refused {
            job();
        }
    }
}

impl Drop for Pool {
    /// Finishes the jobs already given, then ends the threads.
    fn drop(&mut self) {
        self.jobs = None;
        for thread in self.threads.drain(..) {
            // A job that panicked ended its thread; nothing to report then.
            let _ = thread.join();
        }
    }
}
