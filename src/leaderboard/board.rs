//! The boards as people see them: the top N of a period and the viewer's
//! own place, never anyone else's below N.
//!
//! Ranks are shared on ties (1, 2, 2, 4): a place is one more than the
//! number of people others see with more points. Only mileage ranks —
//! never official 상시학습 hours.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, Among};
use crate::db::view_marks::{kept_view, ViewKind};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::memo::Kept;
use crate::org::model::Employee;
use crate::period::{Period, PeriodKind};

crate::text_enum! {
    /// Whose board.
    pub enum Scope {
        Office = ("office", "기관 전체"),
        Department = ("department", "우리 부서"),
        Club = ("club", "우리 동아리"),
    }
}

/// A place on a people's board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonPlace {
    pub rank: i64,
    pub employee_id: String,
    pub name: String,
    pub points: i64,
    pub is_me: bool,
}

/// The viewer's own standing, shown to them alone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyStanding {
    pub points: i64,
    /// None without points in the period.
    pub rank: Option<i64>,
    /// Whether others see me on boards (my choice or my club's default).
    pub visible: bool,
}

/// A board of people: the period `[from, to)`, the top N, and me.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeopleBoard {
    pub period: String,
    pub period_label: String,
    pub period_kind: PeriodKind,
    pub from: NaiveDate,
    /// The first day after the period.
    pub to: NaiveDate,
    /// Over: its totals no longer change.
    pub closed: bool,
    pub scope: Scope,
    pub scope_label: String,
    pub top_n: i64,
    pub places: Vec<PersonPlace>,
    pub me: MyStanding,
}

/// What a board is asked for.
pub struct Ask<'a> {
    pub period: Period,
    pub scope: Scope,
    /// For the club scope: one of the viewer's clubs.
    pub club_id: Option<&'a str>,
    pub top_n: i64,
    pub today: NaiveDate,
}

/// A people's board for `viewer`. The office's board is kept in `kept`
/// while the office's board mark holds (it reads everyone of the office).
pub fn people(
    conn: &mut DbConn,
    kept: &Kept,
    viewer: &Employee,
    ask: &Ask<'_>,
) -> AppResult<PeopleBoard> {
    let organization_id = viewer.organization_id.as_str();
    let (among, scope_label) = match ask.scope {
        Scope::Office => (Among::Office, "기관 전체".to_string()),
        Scope::Department => {
            let department_id = viewer.department_id.as_deref().ok_or_else(|| {
                AppError::validation("scope", "소속 부서가 없어 부서 순위를 볼 수 없습니다.")
            })?;
            let name = crate::org::model::departments_by_ids(conn, &[department_id.to_string()])?
                .into_iter()
                .next()
                .map(|d| d.name)
                .unwrap_or_default();
            (Among::Department(department_id), name)
        }
        Scope::Club => {
            let club_id = ask
                .club_id
                .ok_or_else(|| AppError::validation("club_id", "동아리를 골라 주세요."))?;
            let club = crate::clubs::model::club_by_id(conn, club_id)?;
            let members = crate::clubs::model::member_ids_on(conn, club_id, ask.today)?;
            if club.organization_id != organization_id || !members.contains(&viewer.id) {
                return Err(AppError::Forbidden);
            }
            (Among::Club(club_id), club.name)
        }
    };
    let points = model::total_of(conn, organization_id, ask.period, "employee", &viewer.id)?;
    let kept_board;
    let names_read;
    let (top, above, names) = match among {
        Among::Office => {
            let key = format!("people/{}/{}/{}", ask.period, ask.today, ask.top_n);
            kept_board = kept_view(
                conn,
                kept,
                organization_id,
                ViewKind::Boards,
                &key,
                |conn| -> AppResult<_> {
                    let mut ranked =
                        model::all_visible(conn, organization_id, ask.period, &among, ask.today)?;
                    best_first(&mut ranked);
                    let (top, _) = top_of_ranked(&ranked, ask.top_n, 0);
                    let names = crate::org::model::names_by_ids(conn, &ids_of(&top))?;
                    Ok(OfficeBoard { ranked, names })
                },
            )?;
            let (top, above) = top_of_ranked(&kept_board.ranked, ask.top_n, points);
            (top, above, &kept_board.names)
        }
        _ => {
            let everyone =
                model::all_visible(conn, organization_id, ask.period, &among, ask.today)?;
            let (top, above) = top_of(everyone, ask.top_n, points);
            names_read = crate::org::model::names_by_ids(conn, &ids_of(&top))?;
            (top, above, &names_read)
        }
    };
    let places = ranked(&top, |a, b| b.cmp(a))
        .into_iter()
        .map(|(rank, (id, points))| PersonPlace {
            rank,
            name: names.get(id).cloned().unwrap_or_default(),
            employee_id: id.clone(),
            points: *points,
            is_me: *id == viewer.id,
        })
        .collect();
    let rank = (points > 0).then_some(1 + above);
    Ok(PeopleBoard {
        period: ask.period.to_string(),
        period_label: ask.period.label_ko(),
        period_kind: ask.period.kind(),
        from: ask.period.from(),
        to: ask.period.to(),
        closed: ask.period.is_closed(ask.today),
        scope: ask.scope,
        scope_label,
        top_n: ask.top_n,
        places,
        me: MyStanding {
            points,
            rank,
            visible: model::is_visible(conn, &viewer.id, ask.today)?,
        },
    })
}

/// An office's people's board as kept: everyone ranked best first, and
/// the names of those its top N shows (a new name moves the board mark).
struct OfficeBoard {
    ranked: Vec<(String, i64)>,
    names: HashMap<String, String>,
}

fn ids_of(rows: &[(String, i64)]) -> Vec<String> {
    rows.iter().map(|(id, _)| id.clone()).collect()
}

/// Only positive totals rank; more points first, then by id.
fn best_first(everyone: &mut Vec<(String, i64)>) {
    everyone.retain(|(_, p)| *p > 0);
    everyone.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// A small board's top `n` (ties at the edge included; only positive
/// totals rank), best first, and how many have more than `points`.
fn top_of(mut everyone: Vec<(String, i64)>, n: i64, points: i64) -> (Vec<(String, i64)>, i64) {
    best_first(&mut everyone);
    top_of_ranked(&everyone, n, points)
}

/// `top_of` over a board already [`best_first`].
fn top_of_ranked(ranked: &[(String, i64)], n: i64, points: i64) -> (Vec<(String, i64)>, i64) {
    let above = ranked.partition_point(|(_, p)| *p > points) as i64;
    let edge = usize::try_from(n - 1)
        .ok()
        .and_then(|i| ranked.get(i))
        .map_or(1, |(_, p)| *p);
    let shown = ranked.partition_point(|(_, p)| *p >= edge);
    (ranked[..shown].to_vec(), above)
}

/// Shared ranks over rows sorted best first, `cmp` ordering their scores:
/// a row's rank is one more than the rows strictly ahead of it.
fn ranked<T, S>(rows: &[(T, S)], cmp: impl Fn(&S, &S) -> Ordering) -> Vec<(i64, &(T, S))> {
    let mut out = Vec::with_capacity(rows.len());
    let mut rank = 0;
    for (i, row) in rows.iter().enumerate() {
        if i == 0 || cmp(&rows[i - 1].1, &row.1) != Ordering::Equal {
            rank = i as i64 + 1;
        }
        out.push((rank, row));
    }
    out
}

/// A club's place: mileage per member, exactly.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClubPlace {
    pub rank: i64,
    pub club_id: String,
    pub name: String,
    pub points: i64,
    pub members: i64,
    /// Points per member, one decimal (`12.5`).
    pub per_member: String,
    pub is_mine: bool,
}

/// Clubs ranked by mileage per member in a period: the top N and the
/// viewer's own clubs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClubBoard {
    pub period: String,
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub closed: bool,
    pub top_n: i64,
    pub places: Vec<ClubPlace>,
    /// My clubs below the top N (mine in the top N are marked there).
    pub mine: Vec<ClubPlace>,
}

/// (club id, (points, members on the day)).
type ClubStanding = (String, (i64, i64));

/// An office's clubs' board as kept: every club ranked, best first, with
/// its rank, its name (a new name moves the board mark) and where each
/// club is in it.
struct ClubsBoard {
    rows: Vec<ClubStanding>,
    ranks: Vec<i64>,
    names: HashMap<String, String>,
    place_of: HashMap<String, usize>,
}

/// More points per member first; exact, by cross-multiplying.
fn per_member(a: &(i64, i64), b: &(i64, i64)) -> Ordering {
    (b.0 * a.1).cmp(&(a.0 * b.1))
}

/// `kept`: the boards made before, used again while the office's board
/// mark has not moved (every club's points and size are read to make one).
pub fn clubs(
    conn: &mut DbConn,
    kept: &Kept,
    viewer: &Employee,
    ask: &Ask<'_>,
) -> AppResult<ClubBoard> {
    let organization_id = viewer.organization_id.as_str();
    // A closed period's board is counted with its last day's members, so
    // that it never changes afterwards.
    let day = ask
        .today
        .min(ask.period.to().pred_opt().unwrap_or(ask.today));
    let key = format!("clubs/{}/{day}", ask.period);
    let board = kept_view(
        conn,
        kept,
        organization_id,
        ViewKind::Boards,
        &key,
        |conn| -> AppResult<_> {
            let mut rows: Vec<ClubStanding> =
                model::club_standings(conn, organization_id, ask.period, day)?
                    .into_iter()
                    .map(|(id, points, members)| (id, (points, members)))
                    .collect();
            rows.sort_by(|a, b| per_member(&a.1, &b.1).then_with(|| a.0.cmp(&b.0)));
            let ids: Vec<String> = rows.iter().map(|(id, _)| id.clone()).collect();
            let names = crate::clubs::model::names_of(conn, &ids)?;
            let ranks = ranked(&rows, per_member)
                .into_iter()
                .map(|(rank, _)| rank)
                .collect();
            let place_of = ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect();
            Ok(ClubsBoard {
                rows,
                ranks,
                names,
                place_of,
            })
        },
    )?;
    let my_clubs = crate::clubs::model::club_ids_of(conn, &viewer.id, ask.today)?;
    let top = board.ranks.partition_point(|rank| *rank <= ask.top_n);
    let mut shown: Vec<usize> = (0..top).collect();
    shown.extend(
        my_clubs
            .iter()
            .filter_map(|id| board.place_of.get(id).copied())
            .filter(|i| *i >= top),
    );
    let (mut places, mut mine): (Vec<ClubPlace>, Vec<ClubPlace>) = shown
        .into_iter()
        .map(|i| {
            let (id, (points, count)) = &board.rows[i];
            ClubPlace {
                rank: board.ranks[i],
                club_id: id.clone(),
                name: board.names.get(id).cloned().unwrap_or_default(),
                points: *points,
                members: *count,
                per_member: format!("{:.1}", *points as f64 / *count as f64),
                is_mine: my_clubs.contains(id),
            }
        })
        .partition(|place| place.rank <= ask.top_n);
    for list in [&mut places, &mut mine] {
        list.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.name.cmp(&b.name)));
    }
    Ok(ClubBoard {
        period: ask.period.to_string(),
        period_label: ask.period.label_ko(),
        from: ask.period.from(),
        to: ask.period.to(),
        closed: ask.period.is_closed(ask.today),
        top_n: ask.top_n,
        places,
        mine,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_board_keeps_ties_at_the_edge_and_counts_those_above() {
        let rows = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
            v.iter().map(|(a, p)| (a.to_string(), *p)).collect()
        };
        let (top, above) = top_of(rows(&[("d", 10), ("a", 30), ("c", 20), ("b", 20)]), 2, 10);
        assert_eq!(top, rows(&[("a", 30), ("b", 20), ("c", 20)]));
        assert_eq!(above, 3);
        let (top, above) = top_of(rows(&[("a", 5), ("z", -5)]), 10, 0);
        assert_eq!((top, above), (rows(&[("a", 5)]), 1));
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let rows = [("a", 30), ("b", 20), ("c", 20), ("d", 10)];
        let ranks: Vec<i64> = ranked(&rows, |a, b| b.cmp(a))
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(ranks, vec![1, 2, 2, 4]);
    }
}
