//! Passwords: argon2id hashes, the policy for new ones, generated ones.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::{AppError, AppResult};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

pub fn hash(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))
}

/// Checks a password against a stored hash. With no hash (unknown user, or
/// an account without a password) it still spends the time of one check, so
/// the answer's timing does not tell which employee numbers exist.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let stored = stored.unwrap_or_else(|| dummy_hash());
    let matched = match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    matched && stored != dummy_hash()
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash(&generate()).expect("argon2 hashes a generated password"))
}

/// The policy for a new password; messages name the rule in Korean.
pub fn check_policy(password: &str, employee_no: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(AppError::validation(
            "new_password",
            format!("비밀번호는 {MIN_LEN}자 이상이어야 합니다."),
        ));
    }
    if chars > MAX_LEN {
        return Err(AppError::validation(
            "new_password",
            format!("비밀번호는 {MAX_LEN}자 이하여야 합니다."),
        ));
    }
    if password.trim() != password {
        return Err(AppError::validation(
            "new_password",
            "비밀번호 앞뒤에 공백을 둘 수 없습니다.",
        ));
    }
    if password.contains(employee_no) {
        return Err(AppError::validation(
            "new_password",
            "비밀번호에 사원번호를 넣을 수 없습니다.",
        ));
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(AppError::validation(
            "new_password",
            "비밀번호는 영문 대문자·소문자·숫자·특수문자 중 두 종류 이상을 섞어야 합니다.",
        ));
    }
    Ok(())
}

/// A 16-character password without look-alike characters (0/O, 1/l/I).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS provides randomness");
    // 256 % 57 leaves a slight bias; irrelevant at 16 characters of ~5.8 bits.
    let password: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!(
        "{}-{}-{}",
        &password[..5],
        &password[5..10],
        &password[10..]
    )
}

/// Random bytes as lowercase hex, for tokens.
pub fn random_hex(len_bytes: usize) -> String {
    let mut bytes = vec![0u8; len_bytes];
    getrandom::fill(&mut bytes).expect("the OS provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let h1 = hash("Correct horse 9").unwrap();
        let h2 = hash("Correct horse 9").unwrap();
        assert!(h1.starts_with("$argon2id$"));
        assert_ne!(h1, h2);
        assert!(verify("Correct horse 9", Some(&h1)));
        assert!(!verify("correct horse 9", Some(&h1)));
        assert!(!verify("anything", None));
    }

    #[test]
    fn policy_names_the_rule() {
        assert!(check_policy("short1A", "2015001").is_err());
        assert!(check_policy("onlylowercaseletters", "2015001").is_err());
        assert!(check_policy("abc2015001xyz", "2015001").is_err());
        assert!(check_policy("learning-club-2026", "2015001").is_ok());
        let generated = generate();
        assert_eq!(generated.len(), 18);
        assert!(check_policy(&generated, "2015001").is_ok());
    }
}
