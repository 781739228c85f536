//! The annual continuous-learning target (연간 상시학습 목표시간), from the
//! configurable `target_rules` table: the first matching rule wins.
//! Defaults (DOMAIN.md): grade 4 and above none; 관리운영 사무운영 80 h;
//! other 관리운영 30 h; grade 5 and below 80 h.

use diesel::prelude::*;
use serde::Serialize;

use super::model::JobFamily;
use crate::db::schema::target_rules;
use crate::db::DbConn;

#[derive(Queryable, Selectable, Debug, Clone, Serialize, utoipa::ToSchema)]
#[diesel(table_name = target_rules)]
pub struct TargetRule {
    pub id: String,
    pub priority: i32,
    pub job_family: Option<String>,
    pub grade_min: Option<i32>,
    pub grade_max: Option<i32>,
    /// None: no target for those who match.
    pub annual_hours: Option<i32>,
    pub description: String,
}

impl TargetRule {
    fn matches(&self, grade: Option<i32>, family: JobFamily) -> bool {
        let family_ok = self
            .job_family
            .as_deref()
            .is_none_or(|f| f == family.code());
        let grade_ok = match (self.grade_min, self.grade_max) {
            (None, None) => true,
            (min, max) => {
                grade.is_some_and(|g| min.is_none_or(|m| g >= m) && max.is_none_or(|m| g <= m))
            }
        };
        family_ok && grade_ok
    }
}

/// The target in hours, or None when no rule sets one. `rules` must be in
/// priority order (as `load_rules` returns them).
pub fn annual_target_hours(
    rules: &[TargetRule],
    grade: Option<i32>,
    family: JobFamily,
) -> Option<i32> {
    rules
        .iter()
        .find(|r| r.matches(grade, family))
        .and_then(|r| r.annual_hours)
}

pub fn load_rules(conn: &mut DbConn) -> QueryResult<Vec<TargetRule>> {
    target_rules::table
        .order(target_rules::priority.asc())
        .select(TargetRule::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        priority: i32,
        family: Option<JobFamily>,
        grades: (Option<i32>, Option<i32>),
        hours: Option<i32>,
    ) -> TargetRule {
        TargetRule {
            id: priority.to_string(),
            priority,
            job_family: family.map(|f| f.code().to_string()),
            grade_min: grades.0,
            grade_max: grades.1,
            annual_hours: hours,
            description: String::new(),
        }
    }

    /// The same rules the first migration seeds.
    fn defaults() -> Vec<TargetRule> {
        vec![
            rule(10, None, (Some(1), Some(4)), None),
            rule(
                20,
                Some(JobFamily::OperationsOffice),
                (None, None),
                Some(80),
            ),
            rule(30, Some(JobFamily::OperationsOther), (None, None), Some(30)),
            rule(40, None, (Some(5), Some(9)), Some(80)),
        ]
    }

    #[test]
    fn default_targets_follow_the_plan() {
        let rules = defaults();
        use JobFamily::*;
        assert_eq!(
            annual_target_hours(&rules, Some(7), Administrative),
            Some(80)
        );
        assert_eq!(annual_target_hours(&rules, Some(5), Technical), Some(80));
        assert_eq!(
            annual_target_hours(&rules, Some(9), Administrative),
            Some(80)
        );
        assert_eq!(annual_target_hours(&rules, Some(4), Administrative), None);
        assert_eq!(annual_target_hours(&rules, Some(1), Administrative), None);
        assert_eq!(
            annual_target_hours(&rules, Some(8), OperationsOffice),
            Some(80)
        );
        assert_eq!(
            annual_target_hours(&rules, Some(8), OperationsOther),
            Some(30)
        );
        assert_eq!(annual_target_hours(&rules, None, OperationsOther), Some(30));
        assert_eq!(annual_target_hours(&rules, None, FixedTerm), None);
    }

    #[test]
    fn priority_decides_between_overlapping_rules() {
        let rules = vec![
            rule(1, Some(JobFamily::Technical), (None, None), Some(40)),
            rule(2, None, (Some(5), None), Some(80)),
        ];
        assert_eq!(
            annual_target_hours(&rules, Some(6), JobFamily::Technical),
            Some(40)
        );
        assert_eq!(
            annual_target_hours(&rules, Some(6), JobFamily::Administrative),
            Some(80)
        );
        assert_eq!(
            annual_target_hours(&rules, Some(3), JobFamily::Administrative),
            None
        );
    }
}
