//! Mail: written to the outbox in the same transaction as the event that
//! causes it, delivered later by the jobs through one of three transports —
//! SMTP (production), `.eml` files (the embedded default) or memory (tests).

pub mod outbox;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use crate::config::MailSettings;

/// A mail as delivered (what the memory transport keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

enum Transport {
    Smtp(Box<SmtpTransport>),
    File(FileTransport),
    Memory(Arc<Mutex<Vec<Delivered>>>),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn from_settings(s: &MailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = s
            .from
            .parse()
            .with_context(|| format!("mail.from {:?}", s.from))?;
        let transport = match s.transport.as_str() {
            "smtp" => {
                let builder = match s.smtp_security.as_str() {
                    "tls" => SmtpTransport::relay(&s.smtp_host)?,
                    "starttls" => SmtpTransport::starttls_relay(&s.smtp_host)?,
                    _ => SmtpTransport::builder_dangerous(&s.smtp_host),
                };
                let mut builder = builder
                    .port(s.smtp_port)
                    .timeout(Some(Duration::from_secs(15)));
                if !s.smtp_username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        s.smtp_username.clone(),
                        s.smtp_password.clone(),
                    ));
                }
                Transport::Smtp(Box::new(builder.build()))
            }
            "file" => {
                std::fs::create_dir_all(&s.file_dir)
                    .with_context(|| format!("cannot create mail folder {}", s.file_dir))?;
                Transport::File(FileTransport::new(&s.file_dir))
            }
            _ => Transport::Memory(Arc::default()),
        };
        Ok(Self { from, transport })
    }

    /// The mails the memory transport has delivered (empty for the others).
    pub fn delivered(&self) -> Vec<Delivered> {
        match &self.transport {
            Transport::Memory(sent) => sent.lock().expect("mail lock").clone(),
            _ => Vec::new(),
        }
    }

    /// Hands one mail to the transport; Ok only once it was accepted.
    pub fn send(
        &self,
        to_address: &str,
        to_name: &str,
        subject: &str,
        text: &str,
        html: &str,
    ) -> Result<(), String> {
        if let Transport::Memory(sent) = &self.transport {
            sent.lock().expect("mail lock").push(Delivered {
                to: to_address.to_string(),
                subject: subject.to_string(),
                text: text.to_string(),
                html: html.to_string(),
            });
            return Ok(());
        }
        let to = Mailbox::new(
            Some(to_name.to_string()),
            to_address
                .parse()
                .map_err(|e| format!("bad address {to_address:?}: {e}"))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(
                text.to_string(),
                html.to_string(),
            ))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("smtp: {e}")),
            Transport::File(file) => file
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("file: {e}")),
            Transport::Memory(_) => unreachable!("handled above"),
        }
    }
}
