//! Each club's board (게시판): learning outputs (학습성과물) as posts with
//! links, and comments. Every logged-in employee reads it; members post,
//! anyone comments, authors edit their own, administrators hide with a
//! reason. Nothing is hard-deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::service::ClubAccess;
use crate::audit;
use crate::config::Settings;
use crate::db::schema::{board_comments, board_posts, employees};
use crate::db::{any_of, new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::fields::required;
use crate::mileage::{self, earning::TakenBack, Activity};
use crate::reactions::{Happened, Reactions};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = board_posts)]
pub struct Post {
    pub id: String,
    pub club_id: String,
    pub author_id: String,
    pub title: String,
    pub body: String,
    pub links: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_by: Option<String>,
    pub hidden_reason: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = board_comments)]
pub struct Comment {
    pub id: String,
    pub post_id: String,
    pub author_id: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_by: Option<String>,
    pub hidden_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostDraft {
    pub title: String,
    pub body: String,
    /// http(s) links to the outputs, one per item.
    #[serde(default)]
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CommentDraft {
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HideRequest {
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    /// Empty when hidden.
    pub body: String,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostView {
    pub id: String,
    pub club_id: String,
    pub author_id: String,
    pub author_name: String,
    pub title: String,
    /// Empty when hidden.
    pub body: String,
    pub links: Vec<String>,
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub comments: Vec<CommentView>,
}

fn validate_post(draft: &PostDraft) -> AppResult<(String, String, String)> {
    let title = required("title", "제목", &draft.title, 200)?;
    let body = required("body", "내용", &draft.body, 20_000)?;
    if draft.links.len() > 20 {
        return Err(AppError::validation(
            "links",
            "링크는 20개까지 적을 수 있습니다.",
        ));
    }
    let mut links = Vec::new();
    for link in draft
        .links
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
    {
        let ok = (link.starts_with("https://") || link.starts_with("http://"))
            && link.len() <= 500
            && !link.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(AppError::validation(
                "links",
                format!(
                    "링크는 http:// 또는 https://로 시작하는 주소여야 합니다 (입력값 '{link}')."
                ),
            ));
        }
        links.push(link.to_string());
    }
    Ok((title, body, links.join("\n")))
}

fn display(at: NaiveDateTime) -> String {
    crate::format::seoul_datetime(at)
}

/// Posts a learning output; it earns the author mileage.
pub fn create_post(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    draft: &PostDraft,
    now: NaiveDateTime,
) -> AppResult<String> {
    if !access.can_log_meetings() {
        return Err(AppError::Forbidden);
    }
    access.require_active()?;
    let (title, body, links) = validate_post(draft)?;
    let id = new_id();
    diesel::insert_into(board_posts::table)
        .values((
            board_posts::id.eq(&id),
            board_posts::club_id.eq(&access.club.id),
            board_posts::author_id.eq(&access.employee_id),
            board_posts::title.eq(&title),
            board_posts::body.eq(&body),
            board_posts::links.eq(&links),
            board_posts::created_at.eq(now),
            board_posts::updated_at.eq(now),
        ))
        .execute(conn)?;
    earn(
        conn,
        settings,
        reactions,
        access,
        Activity::Post,
        &id,
        &access.employee_id,
        now,
    )?;
    Ok(id)
}

fn earn(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    activity: Activity,
    event_ref: &str,
    employee_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let event = mileage::Event {
        organization_id: &access.club.organization_id,
        club_id: Some(&access.club.id),
        activity,
        event_ref,
        on: crate::clock::seoul_date(now),
    };
    mileage::earn(conn, settings, &event, employee_id, now)?;
    let happened = Happened {
        organization_id: &access.club.organization_id,
        people: &[employee_id.to_string()],
        on: event.on,
    };
    (reactions.mileage_earned)(conn, settings, happened, now)
}

/// Takes back what a hidden post or comment earned, with the reason.
fn take_back(
    conn: &mut DbConn,
    access: &ClubAccess,
    activity: Activity,
    event_ref: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<TakenBack>> {
    mileage::earning::take_back(
        conn,
        activity,
        event_ref,
        &Default::default(),
        Some(&access.employee_id),
        &format!("게시판 관리자가 숨김: {reason}"),
        now,
    )
}

fn post_in_club(conn: &mut DbConn, access: &ClubAccess, post_id: &str) -> AppResult<Post> {
    let post: Post = board_posts::table
        .find(post_id)
        .select(Post::as_select())
        .first(conn)?;
    if post.club_id != access.club.id {
        return Err(AppError::NotFound);
    }
    Ok(post)
}

pub fn edit_post(
    conn: &mut DbConn,
    access: &ClubAccess,
    post_id: &str,
    draft: &PostDraft,
    now: NaiveDateTime,
) -> AppResult<()> {
    let post = post_in_club(conn, access, post_id)?;
    if post.author_id != access.employee_id {
        return Err(AppError::Forbidden);
    }
    if post.hidden_at.is_some() {
        return Err(AppError::Conflict("숨겨진 글은 고칠 수 없습니다.".into()));
    }
    let (title, body, links) = validate_post(draft)?;
    diesel::update(board_posts::table.find(post_id))
        .set((
            board_posts::title.eq(title),
            board_posts::body.eq(body),
            board_posts::links.eq(links),
            board_posts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Hides a post; the mileage it earned is taken back (the caller tells
/// the author why).
pub fn hide_post(
    conn: &mut DbConn,
    access: &ClubAccess,
    post_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<TakenBack>> {
    if !access.is_admin {
        return Err(AppError::Forbidden);
    }
    let reason = required("reason", "숨김 사유", reason, 500)?;
    post_in_club(conn, access, post_id)?;
    diesel::update(board_posts::table.find(post_id))
        .set((
            board_posts::hidden_at.eq(now),
            board_posts::hidden_by.eq(&access.employee_id),
            board_posts::hidden_reason.eq(&reason),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "board.post.hide",
        post_id,
        json!({ "reason": reason }),
    )?;
    take_back(conn, access, Activity::Post, post_id, &reason, now)
}

/// Any logged-in employee may comment on a visible post.
/// A comment on someone else's post earns its author mileage.
pub fn add_comment(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    post_id: &str,
    draft: &CommentDraft,
    now: NaiveDateTime,
) -> AppResult<String> {
    let post = post_in_club(conn, access, post_id)?;
    if post.hidden_at.is_some() {
        return Err(AppError::Conflict(
            "숨겨진 글에는 댓글을 달 수 없습니다.".into(),
        ));
    }
    let body = required("body", "댓글", &draft.body, 2000)?;
    let id = new_id();
    diesel::insert_into(board_comments::table)
        .values((
            board_comments::id.eq(&id),
            board_comments::post_id.eq(post_id),
            board_comments::author_id.eq(&access.employee_id),
            board_comments::body.eq(&body),
            board_comments::created_at.eq(now),
            board_comments::updated_at.eq(now),
        ))
        .execute(conn)?;
    if post.author_id != access.employee_id {
        earn(
            conn,
            settings,
            reactions,
            access,
            Activity::Comment,
            &id,
            &access.employee_id,
            now,
        )?;
    }
    Ok(id)
}

fn comment_in_club(
    conn: &mut DbConn,
    access: &ClubAccess,
    post_id: &str,
    comment_id: &str,
) -> AppResult<Comment> {
    post_in_club(conn, access, post_id)?;
    let comment: Comment = board_comments::table
        .find(comment_id)
        .select(Comment::as_select())
        .first(conn)?;
    if comment.post_id != post_id {
        return Err(AppError::NotFound);
    }
    Ok(comment)
}

pub fn edit_comment(
    conn: &mut DbConn,
    access: &ClubAccess,
    post_id: &str,
    comment_id: &str,
    draft: &CommentDraft,
    now: NaiveDateTime,
) -> AppResult<()> {
    let comment = comment_in_club(conn, access, post_id, comment_id)?;
    if comment.author_id != access.employee_id {
        return Err(AppError::Forbidden);
    }
    if comment.hidden_at.is_some() {
        return Err(AppError::Conflict("숨겨진 댓글은 고칠 수 없습니다.".into()));
    }
    let body = required("body", "댓글", &draft.body, 2000)?;
    diesel::update(board_comments::table.find(comment_id))
        .set((
            board_comments::body.eq(body),
            board_comments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn hide_comment(
    conn: &mut DbConn,
    access: &ClubAccess,
    post_id: &str,
    comment_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<TakenBack>> {
    if !access.is_admin {
        return Err(AppError::Forbidden);
    }
    let reason = required("reason", "숨김 사유", reason, 500)?;
    comment_in_club(conn, access, post_id, comment_id)?;
    diesel::update(board_comments::table.find(comment_id))
        .set((
            board_comments::hidden_at.eq(now),
            board_comments::hidden_by.eq(&access.employee_id),
            board_comments::hidden_reason.eq(&reason),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "board.comment.hide",
        comment_id,
        json!({ "reason": reason }),
    )?;
    take_back(conn, access, Activity::Comment, comment_id, &reason, now)
}

/// A page of the club's posts, newest first, with their comments (three
/// queries, whatever the page size).
pub fn posts_of(
    conn: &mut DbConn,
    club_id: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<PostView>, i64)> {
    let total = board_posts::table
        .filter(board_posts::club_id.eq(club_id))
        .count()
        .get_result(conn)?;
    let posts: Vec<(Post, String)> = board_posts::table
        .inner_join(employees::table.on(employees::id.eq(board_posts::author_id)))
        .filter(board_posts::club_id.eq(club_id))
        .order(board_posts::created_at.desc())
        .offset(offset)
        .limit(limit)
        .select((Post::as_select(), employees::name))
        .load(conn)?;
    let ids: Vec<String> = posts.iter().map(|(p, _)| p.id.clone()).collect();
    let comments: Vec<(Comment, String)> = board_comments::table
        .inner_join(employees::table.on(employees::id.eq(board_comments::author_id)))
        .filter(any_of(board_comments::post_id, &ids))
        .order(board_comments::created_at.asc())
        .select((Comment::as_select(), employees::name))
        .load(conn)?;
    let views = posts
        .into_iter()
        .map(|(p, author_name)| PostView {
            comments: comments
                .iter()
                .filter(|(c, _)| c.post_id == p.id)
                .map(|(c, name)| CommentView {
                    id: c.id.clone(),
                    author_id: c.author_id.clone(),
                    author_name: name.clone(),
                    body: if c.hidden_at.is_some() {
                        String::new()
                    } else {
                        c.body.clone()
                    },
                    hidden: c.hidden_at.is_some(),
                    hidden_reason: c.hidden_reason.clone(),
                    created_at: display(c.created_at),
                })
                .collect(),
            id: p.id,
            club_id: p.club_id,
            author_id: p.author_id,
            author_name,
            title: p.title,
            body: if p.hidden_at.is_some() {
                String::new()
            } else {
                p.body
            },
            links: if p.hidden_at.is_some() {
                vec![]
            } else {
                p.links.lines().map(str::to_string).collect()
            },
            hidden: p.hidden_at.is_some(),
            hidden_reason: p.hidden_reason,
            created_at: display(p.created_at),
            updated_at: display(p.updated_at),
        })
        .collect();
    Ok((views, total))
}
