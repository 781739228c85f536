//! The queries of a table of rule versions: each row an office's rule for
//! one activity from a day on (`organization_id`, `activity`, `valid_from`,
//! `version`). Mileage and vouchers keep their rules this way, each in a
//! table of its own.

/// `rule_version_queries!(table, Rule)`: `rules_of`, `rule_on`,
/// `last_rule_version` and `insert_rule` for that table, in the module that
/// calls it (which imports the table and diesel's prelude).
#[macro_export]
macro_rules! rule_version_queries {
    ($table:ident, $rule:ty) => {
        /// Every version of the office's rules, by activity, newest first.
        pub fn rules_of(
            conn: &mut $crate::db::DbConn,
            organization_id: &str,
        ) -> diesel::QueryResult<Vec<$rule>> {
            $table::table
                .filter($table::organization_id.eq(organization_id))
                .order((
                    $table::activity.asc(),
                    $table::valid_from.desc(),
                    $table::version.desc(),
                ))
                .select(<$rule>::as_select())
                .load(conn)
        }

        /// The version governing an activity on `day`: the one starting
        /// last on or before it (of two from the same day, the later one).
        pub fn rule_on(
            conn: &mut $crate::db::DbConn,
            organization_id: &str,
            activity: &str,
            day: chrono::NaiveDate,
        ) -> diesel::QueryResult<Option<$rule>> {
            $crate::on_backend!(conn, |c| $table::table
                .filter($table::organization_id.eq(organization_id))
                .filter($table::activity.eq(activity))
                .filter($table::valid_from.le(day))
                .order(($table::valid_from.desc(), $table::version.desc()))
                .select(<$rule>::as_select())
                .first(c)
                .optional())
        }

        /// The highest version number of an activity's rule, if any.
        pub fn last_rule_version(
            conn: &mut $crate::db::DbConn,
            organization_id: &str,
            activity: &str,
        ) -> diesel::QueryResult<Option<i32>> {
            $table::table
                .filter($table::organization_id.eq(organization_id))
                .filter($table::activity.eq(activity))
                .select(diesel::dsl::max($table::version))
                .first(conn)
        }

        pub fn insert_rule(conn: &mut $crate::db::DbConn, rule: &$rule) -> diesel::QueryResult<()> {
            diesel::insert_into($table::table)
                .values(rule)
                .execute(conn)
                .map(|_| ())
        }
    };
}
