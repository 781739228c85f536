//! Clubs (동아리): membership with dates, study tasks, meetings with
//! attendance and support spending, each club's board, and the hours
//! members earn from meetings.

pub mod board;
pub mod demo;
pub mod extractors;
pub mod forms;
pub mod handlers;
pub mod hours;
pub mod import;
pub mod model;
pub mod pages;
pub mod service;
pub mod size;
pub mod views;

use actix_web::web::{self, delete, get, post, put, resource};

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    cfg.service(
        resource("/clubs")
            .route(get().to(h::list_clubs))
            .route(post().to(h::create_club)),
    )
    .service(
        resource("/clubs/{club_id}")
            .route(get().to(h::get_club))
            .route(put().to(h::update_club)),
    )
    .service(resource("/clubs/{club_id}/decision").route(post().to(h::decide_club)))
    .service(resource("/clubs/{club_id}/dissolve").route(post().to(h::dissolve_club)))
    .service(resource("/clubs/{club_id}/formation").route(put().to(h::set_formation)))
    .service(
        resource("/clubs/{club_id}/members")
            .route(get().to(h::list_members))
            .route(post().to(h::add_member)),
    )
    .service(
        resource("/clubs/{club_id}/members/{employee_id}").route(delete().to(h::remove_member)),
    )
    .service(resource("/clubs/{club_id}/president").route(post().to(h::transfer_presidency)))
    .service(
        resource("/clubs/{club_id}/join-requests")
            .route(get().to(h::list_join_requests))
            .route(post().to(h::request_to_join)),
    )
    .service(
        resource("/clubs/{club_id}/join-requests/{request_id}")
            .route(post().to(h::decide_join_request)),
    )
    .service(
        resource("/clubs/{club_id}/study-tasks/{half}")
            .route(get().to(h::get_study_task))
            .route(put().to(h::put_study_task)),
    )
    .service(
        resource("/clubs/{club_id}/meetings")
            .route(get().to(h::list_meetings))
            .route(post().to(h::log_meeting)),
    )
    .service(
        resource("/clubs/{club_id}/meetings/{meeting_id}")
            .route(get().to(h::get_meeting))
            .route(put().to(h::edit_meeting))
            .route(delete().to(h::delete_meeting)),
    )
    .service(
        resource("/clubs/{club_id}/posts")
            .route(get().to(h::list_posts))
            .route(post().to(h::create_post)),
    )
    .service(resource("/clubs/{club_id}/posts/{post_id}").route(put().to(h::edit_post)))
    .service(resource("/clubs/{club_id}/posts/{post_id}/hide").route(post().to(h::hide_post)))
    .service(resource("/clubs/{club_id}/posts/{post_id}/comments").route(post().to(h::add_comment)))
    .service(
        resource("/clubs/{club_id}/posts/{post_id}/comments/{comment_id}")
            .route(put().to(h::edit_comment)),
    )
    .service(
        resource("/clubs/{club_id}/posts/{post_id}/comments/{comment_id}/hide")
            .route(post().to(h::hide_comment)),
    )
    .service(resource("/me/hours").route(get().to(h::my_hours)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    use pages as p;
    // "/clubs/new" before "/clubs/{club_id}" (`web::club`), which would
    // match it too.
    cfg.service(resource("/clubs").route(get().to(p::list)))
        .service(
            resource("/clubs/new")
                .route(get().to(p::new_club))
                .route(post().to(p::create_club)),
        )
        .service(
            resource("/clubs/{club_id}/meetings/new")
                .route(get().to(p::new_meeting))
                .route(post().to(p::log_meeting)),
        )
        .service(
            resource("/clubs/{club_id}/meetings/{meeting_id}/edit")
                .route(get().to(p::edit_meeting_page))
                .route(post().to(p::edit_meeting)),
        );
}
