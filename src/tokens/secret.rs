//! The key that signs session tokens. None ships with the program: a
//! configured one wins; otherwise one is generated on first start into
//! `auth.secret_file` (owner-only) and read from there afterwards. In
//! production nothing is generated: a configured key or a provisioned file
//! is required.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use anyhow::{bail, Context};

use crate::config::{AuthSettings, Profile, MIN_SECRET_LEN};

pub fn signing_secret(auth: &AuthSettings, profile: Profile) -> anyhow::Result<String> {
    let configured = auth.jwt_secret.trim();
    if !configured.is_empty() {
        return Ok(configured.to_string());
    }
    let path = Path::new(&auth.secret_file);
    match fs::read_to_string(path) {
        Ok(text) => return checked(text.trim(), path),
        Err(e) if e.kind() != ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot read {}", path.display()))
        }
        Err(_) => {}
    }
    if profile == Profile::Production {
        bail!(
            "refusing to start in production without a signing secret: set auth.jwt_secret \
             (DONGARI__AUTH__JWT_SECRET) to at least {MIN_SECRET_LEN} random characters, \
             or provision {}",
            path.display()
        );
    }
    generate_into(path)
}

fn checked(secret: &str, path: &Path) -> anyhow::Result<String> {
    if secret.len() < MIN_SECRET_LEN {
        bail!(
            "{} holds a secret shorter than {MIN_SECRET_LEN} characters",
            path.display()
        );
    }
    Ok(secret.to_string())
}

/// Writes a new random secret, readable by the owner only. When another
/// process made the file first, its secret is the one used.
fn generate_into(path: &Path) -> anyhow::Result<String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(secret.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            tracing::info!(file = %path.display(), "generated a new signing secret");
            Ok(secret)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            checked(fs::read_to_string(path)?.trim(), path)
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(secret: &str, file: &Path) -> AuthSettings {
        let mut s = crate::config::Settings::load_from(
            Path::new("/nonexistent"),
            None,
            Vec::<(String, String)>::new(),
        )
        .unwrap()
        .auth;
        s.jwt_secret = secret.to_string();
        s.secret_file = file.display().to_string();
        s
    }

    #[test]
    fn a_secret_is_generated_once_owner_only_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data/jwt_secret");
        let auth = settings("", &file);
        let first = signing_secret(&auth, Profile::Development).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(signing_secret(&auth, Profile::Development).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Production uses the provisioned file, too.
        assert_eq!(signing_secret(&auth, Profile::Production).unwrap(), first);
    }

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("jwt_secret");
        let err = signing_secret(&settings("", &file), Profile::Production)
            .unwrap_err()
            .to_string();
        assert!(err.contains("without a signing secret"), "{err}");
        assert!(!file.exists(), "nothing is generated in production");
        let configured = "b3f1c0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5";
        assert_eq!(
            signing_secret(&settings(configured, &file), Profile::Production).unwrap(),
            configured
        );
    }
}
