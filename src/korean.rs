//! Korean particles that follow the sound of the word before them (주제를
//! but 시간을, 사원번호는 but 기간은). Messages name fields and values not
//! known until they run, so the particle is chosen then, never written as
//! "을(를)".

/// A particle with two forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Particle {
    /// 은 / 는
    Topic,
    /// 이 / 가
    Subject,
    /// 을 / 를
    Object,
    /// 과 / 와
    And,
    /// 으로 / 로 (로 after ㄹ too)
    Means,
}

impl Particle {
    fn forms(self) -> (&'static str, &'static str) {
        match self {
            Particle::Topic => ("은", "는"),
            Particle::Subject => ("이", "가"),
            Particle::Object => ("을", "를"),
            Particle::And => ("과", "와"),
            Particle::Means => ("으로", "로"),
        }
    }
}

/// What the word ends with, as the particle hears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Vowel,
    Rieul,
    Consonant,
}

/// The last sound of `word`, skipping closing quotes and brackets; digits
/// and Latin letters as they are read aloud (3 삼, 7 칠, L 엘, M 엠).
fn ending(word: &str) -> Ending {
    let last = word.chars().rev().find(|c| {
        !matches!(
            c,
            '\'' | '"' | ')' | ']' | '}' | '’' | '”' | '」' | '』' | ' ' | '.'
        )
    });
    match last {
        Some(c @ '가'..='힣') => match (c as u32 - 0xAC00) % 28 {
            0 => Ending::Vowel,
            8 => Ending::Rieul,
            _ => Ending::Consonant,
        },
        Some('1' | '7' | '8') => Ending::Rieul,
        Some('0' | '3' | '6') => Ending::Consonant,
        Some(c) if c.is_ascii_alphabetic() => match c.to_ascii_lowercase() {
            'l' | 'r' => Ending::Rieul,
            'm' | 'n' => Ending::Consonant,
            _ => Ending::Vowel,
        },
        _ => Ending::Vowel,
    }
}

/// The word before a particle that `with` could have put after it, if
/// `text` ends with one (`연구과제를`: `연구과제`).
pub fn without_particle(text: &str) -> Option<&str> {
    const ALL: [Particle; 5] = [
        Particle::Topic,
        Particle::Subject,
        Particle::Object,
        Particle::And,
        Particle::Means,
    ];
    ALL.iter()
        .flat_map(|p| {
            let (a, b) = p.forms();
            [a, b]
        })
        // 으로 before 로, so that the longer form is taken off whole.
        .find_map(|form| text.strip_suffix(form).filter(|word| !word.is_empty()))
}

/// `word` with the particle its last sound takes.
pub fn with(word: &str, particle: Particle) -> String {
    let (after_consonant, after_vowel) = particle.forms();
    let form = match (ending(word), particle) {
        (Ending::Rieul, Particle::Means) | (Ending::Vowel, _) => after_vowel,
        _ => after_consonant,
    };
    format!("{word}{form}")
}

#[cfg(test)]
mod tests {
    use super::{with, without_particle, Particle::*};

    #[test]
    fn a_particle_with_put_comes_off_again() {
        assert_eq!(without_particle("연구과제를"), Some("연구과제"));
        assert_eq!(without_particle("'연구 노력'이"), Some("'연구 노력'"));
        assert_eq!(without_particle("부서코드로"), Some("부서코드"));
        assert_eq!(without_particle("학교으로"), Some("학교"));
        assert_eq!(without_particle("시간"), None);
        assert_eq!(without_particle("는"), None);
    }

    #[test]
    fn the_particle_follows_the_last_sound() {
        assert_eq!(with("주제", Object), "주제를");
        assert_eq!(with("시간", Object), "시간을");
        assert_eq!(with("사원번호", Topic), "사원번호는");
        assert_eq!(with("채점 기간", Topic), "채점 기간은");
        assert_eq!(
            with("항목 이름 '연구 성과'", Subject),
            "항목 이름 '연구 성과'가"
        );
        assert_eq!(with("'참여도'", Subject), "'참여도'가");
        assert_eq!(with("자료", And), "자료와");
        assert_eq!(with("학습", And), "학습과");
        assert_eq!(with("서울", Means), "서울로");
        assert_eq!(with("부산", Means), "부산으로");
        assert_eq!(with("기차", Means), "기차로");
    }

    #[test]
    fn digits_and_letters_are_read_aloud() {
        assert_eq!(with("2026-12-01", Topic), "2026-12-01은");
        assert_eq!(with("1000003", Topic), "1000003은");
        assert_eq!(with("2015002", Topic), "2015002는");
        assert_eq!(with("2017", Means), "2017로");
        assert_eq!(
            with("https://example.go.kr/report.pdf", Topic),
            "https://example.go.kr/report.pdf는"
        );
        assert_eq!(with("URL", Subject), "URL이");
        assert_eq!(with("PDF", Object), "PDF를");
        assert_eq!(with("", Object), "를");
    }
}
