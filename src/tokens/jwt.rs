//! Short-lived HS256 tokens. The algorithm is pinned when verifying, and
//! expiry is checked against the injected clock, not the system's.

use chrono::Duration;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The employee's id.
    pub sub: String,
    /// The employee's session version: logout and password change bump it,
    /// which ends every token issued before.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &str, ttl_minutes: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.validate_exp = false; // checked against the Clock below
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl: Duration::minutes(ttl_minutes),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(
        &self,
        employee_id: &str,
        session_version: i32,
        clock: &dyn Clock,
    ) -> AppResult<String> {
        let now = clock.now();
        let claims = Claims {
            sub: employee_id.to_string(),
            ver: session_version,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("jwt encode: {e}")))
    }

    /// Any flaw (signature, algorithm, shape, expiry) is the same 401.
    pub fn verify(&self, token: &str, clock: &dyn Clock) -> AppResult<Claims> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| AppError::Unauthorized)?;
        if data.claims.exp <= clock.now().timestamp() {
            return Err(AppError::Unauthorized);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn tokens_round_trip_and_expire() {
        let clock = FixedClock::at_seoul(2026, 11, 23, 9, 0, 0);
        let keys = JwtKeys::new("a-test-secret-of-enough-length-000", 60);
        let token = keys.issue("emp-1", 3, &clock).unwrap();
        let claims = keys.verify(&token, &clock).unwrap();
        assert_eq!((claims.sub.as_str(), claims.ver), ("emp-1", 3));
        clock.advance(Duration::minutes(60));
        assert!(keys.verify(&token, &clock).is_err());
    }

    #[test]
    fn other_secrets_and_algorithms_are_refused() {
        let clock = FixedClock::at_seoul(2026, 11, 23, 9, 0, 0);
        let keys = JwtKeys::new("a-test-secret-of-enough-length-000", 60);
        let other = JwtKeys::new("another-secret-of-enough-length-00", 60);
        let token = other.issue("emp-1", 0, &clock).unwrap();
        assert!(keys.verify(&token, &clock).is_err());
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &Claims {
                sub: "emp-1".into(),
                ver: 0,
                iat: 0,
                exp: i64::MAX / 2,
            },
            &EncodingKey::from_secret(b"a-test-secret-of-enough-length-000"),
        )
        .unwrap();
        assert!(keys.verify(&hs512, &clock).is_err());
    }
}
