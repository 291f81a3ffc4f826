//! A private PostgreSQL for a test: a new cluster in a temporary folder
//! (`initdb`), its server on loopback on a port the OS picked, stopped by
//! its pid when dropped. As root (CI), the cluster belongs to the
//! `postgres` user, as `initdb` requires. The server comes from the
//! distribution's package (`.ci/run` installs it when missing).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Postgres {
    dir: tempfile::TempDir,
    server: Child,
    pub port: u16,
}

/// The newest installed server's `bin` folder.
fn bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (the package `postgresql`; `.ci/run` installs it)")
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|b| b.join("postgres").exists())
        .collect();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().expect("a PostgreSQL server binary")
}

fn root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `program args`, as the `postgres` user when this process is root.
fn command(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

impl Postgres {
    pub fn start() -> Postgres {
        let (bin, root) = (bin(), root());
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        if root {
            let status = Command::new("chmod")
                .arg("755")
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success());
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&data)
                .status()
                .unwrap();
            assert!(status.success());
        }
        let out = command(&bin.join("initdb"), root)
            .args(["-D"])
            .arg(&data)
            .args(["-U", "atom", "--auth=trust", "-E", "UTF8", "--locale=C"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = command(&bin.join("postgres"), root)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(&data)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pg = Postgres { dir, server, port };
        let start = Instant::now();
        while pg.try_client().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "PostgreSQL did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        pg
    }

    fn try_client(&self) -> Result<postgres::Client, postgres::Error> {
        let config = format!(
            "host=127.0.0.1 port={} user=atom dbname=postgres",
            self.port
        );
        postgres::Client::connect(&config, postgres::NoTls)
    }

    pub fn client(&self) -> postgres::Client {
        self.try_client()
            .expect("a connection to the test's PostgreSQL")
    }
}

impl Drop for Postgres {
    /// A fast shutdown (SIGINT) by the server's pid (the first line of
    /// `postmaster.pid`; the child may be `runuser` around it), then its
    /// exit.
    fn drop(&mut self) {
        let pid_file = self.dir.path().join("data/postmaster.pid");
        let pid = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_string))
            .unwrap_or_else(|| self.server.id().to_string());
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = self.server.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
