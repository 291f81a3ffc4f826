//! LSP: the stdio transport, framed messages in and out, which no malformed message can end.
//!
//! `lsp-server`'s own stdio reader stops at the first message it cannot
//! read, and the server with it. This one reads each `Content-Length`
//! frame whole and then parses it: a body that is not a JSON-RPC message
//! is answered with an `InvalidRequest` error when it carries an `id`, and
//! otherwise reported on stderr and skipped; a header block without a
//! valid `Content-Length` is skipped the same way. Only the end of input
//! (or a failing stdin) ends the reader. A frame larger than
//! [`MAX_FRAME`] is refused unread.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{bounded, Sender};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use serde_json::Value as Json;

/// The largest message read: a 64 MiB policy file, escaped as JSON text,
/// with room to spare.
pub const MAX_FRAME: usize = 256 * 1024 * 1024;

/// The reader and writer threads of a stdio connection.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads (after the connection is dropped).
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .map_err(|_| io::Error::other("the reader panicked"))?;
        let writer = self
            .writer
            .join()
            .map_err(|_| io::Error::other("the writer panicked"))?;
        reader.and(writer)
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (writer_sender, writer_receiver) = bounded::<Message>(0);
    let writer = thread::spawn(move || {
        let mut out = io::stdout().lock();
        for message in writer_receiver {
            message.write(&mut out)?;
            out.flush()?;
        }
        Ok(())
    });
    let (reader_sender, reader_receiver) = bounded::<Message>(0);
    let replies = writer_sender.clone();
    let reader = thread::spawn(move || read_all(&mut io::stdin().lock(), &reader_sender, &replies));
    let connection = Connection {
        sender: writer_sender,
        receiver: reader_receiver,
    };
    (connection, IoThreads { reader, writer })
}

/// Reads every frame of `input` and passes on the messages, until the end
/// of input, `exit`, or the server hanging up.
pub fn read_all(
    input: &mut impl BufRead,
    messages: &Sender<Message>,
    replies: &Sender<Message>,
) -> io::Result<()> {
    while let Some(frame) = read_frame(input)? {
        let body = match frame {
            Ok(body) => body,
            Err(why) => {
                eprintln!("atom lsp: skipped a message: {why}");
                continue;
            }
        };
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if messages.send(message).is_err() || exit {
                    return Ok(());
                }
            }
            Err(e) => {
                if let Some(id) = request_id(&body) {
                    let reply = Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        format!("not a JSON-RPC message: {e}"),
                    );
                    let _ = replies.send(Message::Response(reply));
                } else {
                    eprintln!("atom lsp: skipped a message that is not JSON-RPC: {e}");
                }
            }
        }
    }
    Ok(())
}

/// The `id` of a body that is JSON with an integer or string `id`.
fn request_id(body: &[u8]) -> Option<RequestId> {
    match serde_json::from_slice::<Json>(body).ok()?.get("id")? {
        Json::Number(n) => Some(RequestId::from(i32::try_from(n.as_i64()?).ok()?)),
        Json::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// One frame: `None` at the end of input; `Some(Err(why))` for a header
/// block that cannot be used (its body, if any, is not read as one).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut any = false;
    loop {
        let mut line = Vec::new();
        let n = input.by_ref().take(4096).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(any.then(|| Err("the input ended inside a header".to_string())));
        }
        any = true;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("`Content-Length` is `{}`", value.trim())),
                );
            }
        }
    }
    let length = match length {
        None => return Ok(Some(Err("a header without `Content-Length`".to_string()))),
        Some(Err(why)) => return Ok(Some(Err(why))),
        Some(Ok(n)) if n > MAX_FRAME => {
            return Ok(Some(Err(format!(
                "a message of {n} bytes; at most {MAX_FRAME}"
            ))))
        }
        Some(Ok(n)) => n,
    };
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(None);
    }
    Ok(Some(Ok(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_or_skipped_and_the_rest_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            frame("not json at all"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":3}"#),
            "X-Junk: 1\r\n\r\n".to_string(),
            "Content-Length: nine\r\n\r\n".to_string(),
            frame(good),
        ]
        .concat();
        let (messages, received) = bounded(8);
        let (replies, answered) = bounded(8);
        read_all(&mut input.as_bytes(), &messages, &replies).unwrap();
        let got: Vec<Message> = received.try_iter().collect();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(matches!(&got[0], Message::Notification(n) if n.method == "initialized"));
        let replied: Vec<Message> = answered.try_iter().collect();
        assert!(
            matches!(&replied[..], [Message::Response(r)] if r.id == RequestId::from(7) && r.response_result.is_err()),
            "{replied:?}"
        );
    }
}
