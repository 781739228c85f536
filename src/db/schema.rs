//! One schema for both backends (kept by hand; see migrations/*).

diesel::table! {
    organizations (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        policy -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        organization_id -> Text,
        code -> Text,
        name -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employees (id) {
        id -> Text,
        organization_id -> Text,
        employee_no -> Text,
        name -> Text,
        email -> Text,
        department_id -> Nullable<Text>,
        grade -> Nullable<Integer>,
        job_family -> Text,
        active -> Bool,
        password_hash -> Nullable<Text>,
        session_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        language -> Text,
    }
}

diesel::table! {
    employee_roles (id) {
        id -> Text,
        employee_id -> Text,
        role -> Text,
        department_id -> Nullable<Text>,
        granted_at -> Timestamp,
        granted_by -> Nullable<Text>,
    }
}

diesel::table! {
    target_rules (id) {
        id -> Text,
        priority -> Integer,
        job_family -> Nullable<Text>,
        grade_min -> Nullable<Integer>,
        grade_max -> Nullable<Integer>,
        annual_hours -> Nullable<Integer>,
        description -> Text,
    }
}

diesel::table! {
    login_throttle (employee_no) {
        employee_no -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        detail -> Text,
    }
}

diesel::table! {
    clubs (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        kind -> Text,
        home_department_id -> Nullable<Text>,
        field -> Text,
        description -> Text,
        status -> Text,
        usual_start -> Nullable<Time>,
        usual_end -> Nullable<Time>,
        usual_place -> Nullable<Text>,
        proposed_by -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        formed_on -> Date,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        club_id -> Text,
        employee_id -> Text,
        role -> Text,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    join_requests (id) {
        id -> Text,
        club_id -> Text,
        employee_id -> Text,
        message -> Text,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    study_tasks (id) {
        id -> Text,
        club_id -> Text,
        half -> Text,
        title -> Text,
        description -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Text,
        club_id -> Text,
        held_on -> Date,
        starts_at -> Time,
        ends_at -> Time,
        kind -> Text,
        place -> Text,
        topic -> Text,
        notes -> Text,
        inside_work_hours -> Bool,
        inside_reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    meeting_advisors (meeting_id) {
        meeting_id -> Text,
        name -> Text,
        fee -> Integer,
    }
}

diesel::table! {
    meeting_attendance (meeting_id, employee_id) {
        meeting_id -> Text,
        employee_id -> Text,
    }
}

diesel::table! {
    meeting_books (id) {
        id -> Text,
        meeting_id -> Text,
        title -> Text,
        price -> Integer,
    }
}

diesel::table! {
    board_posts (id) {
        id -> Text,
        club_id -> Text,
        author_id -> Text,
        title -> Text,
        body -> Text,
        links -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hidden_at -> Nullable<Timestamp>,
        hidden_by -> Nullable<Text>,
        hidden_reason -> Nullable<Text>,
    }
}

diesel::table! {
    board_comments (id) {
        id -> Text,
        post_id -> Text,
        author_id -> Text,
        body -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hidden_at -> Nullable<Timestamp>,
        hidden_by -> Nullable<Text>,
        hidden_reason -> Nullable<Text>,
    }
}

diesel::table! {
    holidays (organization_id, day) {
        organization_id -> Text,
        day -> Date,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    monthly_reports (id) {
        id -> Text,
        club_id -> Text,
        month -> Text,
        narrative -> Text,
        current_version -> Integer,
        first_submitted_at -> Nullable<Timestamp>,
        late -> Nullable<Bool>,
        missing_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_versions (id) {
        id -> Text,
        report_id -> Text,
        version -> Integer,
        narrative -> Text,
        activity -> Text,
        submitted_at -> Timestamp,
        submitted_by -> Text,
        due_at -> Timestamp,
        late -> Bool,
        amendment_reason -> Nullable<Text>,
    }
}

diesel::table! {
    reminders (id) {
        id -> Text,
        kind -> Text,
        month -> Text,
        subject_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        to_address -> Text,
        to_name -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    evaluation_rounds (id) {
        id -> Text,
        organization_id -> Text,
        half -> Text,
        title -> Text,
        submit_from -> Timestamp,
        submit_until -> Timestamp,
        score_from -> Timestamp,
        score_until -> Timestamp,
        combination -> Text,
        trim_min_evaluators -> Integer,
        evaluators_per_club -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        confirmed_by -> Nullable<Text>,
        adjustment_reason -> Nullable<Text>,
    }
}

diesel::table! {
    evaluation_criteria (id) {
        id -> Text,
        round_id -> Text,
        position -> Integer,
        name -> Text,
        weight -> Integer,
        max_points -> Integer,
    }
}

diesel::table! {
    prize_tiers (round_id, tier) {
        round_id -> Text,
        tier -> Text,
        winners -> Integer,
        amount_krw -> BigInt,
    }
}

diesel::table! {
    round_evaluators (round_id, employee_id) {
        round_id -> Text,
        employee_id -> Text,
    }
}

diesel::table! {
    results_reports (id) {
        id -> Text,
        round_id -> Text,
        club_id -> Text,
        study_task -> Text,
        activities -> Text,
        outcomes -> Text,
        proposals -> Text,
        links -> Text,
        submitted_by -> Text,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
        reopened -> Bool,
    }
}

diesel::table! {
    results_reopenings (id) {
        id -> Text,
        round_id -> Text,
        club_id -> Text,
        until -> Timestamp,
        reason -> Text,
        granted_by -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_assignments (id) {
        id -> Text,
        round_id -> Text,
        club_id -> Text,
        evaluator_id -> Text,
        assigned_at -> Timestamp,
        assigned_by -> Nullable<Text>,
        removed_at -> Nullable<Timestamp>,
        removed_by -> Nullable<Text>,
        comment -> Text,
        scored_at -> Nullable<Timestamp>,
        sheet_points -> Nullable<Text>,
    }
}

diesel::table! {
    evaluation_scores (assignment_id, criterion_id) {
        assignment_id -> Text,
        criterion_id -> Text,
        points -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_awards (id) {
        id -> Text,
        round_id -> Text,
        club_id -> Text,
        tier -> Text,
        amount_krw -> BigInt,
        rank -> Nullable<Integer>,
        score -> Nullable<Text>,
        proposed_tier -> Nullable<Text>,
        awarded_by -> Text,
        awarded_at -> Timestamp,
    }
}

diesel::table! {
    top_contributors (id) {
        id -> Text,
        round_id -> Text,
        club_id -> Text,
        slot -> Integer,
        employee_id -> Text,
        special_leave_days -> Integer,
        preferred_department -> Bool,
        reason -> Text,
        recommended_by -> Text,
        recommended_at -> Timestamp,
    }
}

diesel::table! {
    overseas_recommendations (round_id, employee_id) {
        round_id -> Text,
        employee_id -> Text,
        club_id -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    hours_rules (id) {
        id -> Text,
        organization_id -> Text,
        version -> Integer,
        valid_from -> Date,
        half_year_cap_minutes -> BigInt,
        count_ad_hoc -> Bool,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_marks (organization_id, job) {
        organization_id -> Text,
        job -> Text,
        fingerprint -> Text,
        marked_at -> Timestamp,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Text,
        owner_kind -> Text,
        owner_id -> Text,
        unit -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_movements (id) {
        id -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        source -> Text,
        source_ref -> Nullable<Text>,
        counts_for -> Date,
        rule_version -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        reverses_id -> Nullable<Text>,
        recorded_at -> Timestamp,
        learning_type -> Nullable<Text>,
        title -> Nullable<Text>,
    }
}

diesel::table! {
    ledger_entries (seq) {
        seq -> BigInt,
        movement_id -> Text,
        account_id -> Text,
        unit -> Text,
        amount -> BigInt,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    ledger_entry_details (movement_id, kind, ref_id) {
        movement_id -> Text,
        kind -> Text,
        ref_id -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    ledger_chain (id) {
        id -> Integer,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    ledger_balances (account_id) {
        account_id -> Text,
        balance -> BigInt,
    }
}

diesel::joinable!(employees -> departments (department_id));
diesel::joinable!(mileage_earnings -> employees (employee_id));
diesel::joinable!(employees -> organizations (organization_id));
diesel::joinable!(clubs -> organizations (organization_id));
diesel::joinable!(employee_roles -> employees (employee_id));
diesel::joinable!(clubs -> departments (home_department_id));
diesel::joinable!(memberships -> clubs (club_id));
diesel::joinable!(memberships -> employees (employee_id));
diesel::joinable!(join_requests -> clubs (club_id));
diesel::joinable!(study_tasks -> clubs (club_id));
diesel::joinable!(meetings -> clubs (club_id));
diesel::joinable!(meeting_attendance -> meetings (meeting_id));
diesel::joinable!(meeting_attendance -> employees (employee_id));
diesel::joinable!(meeting_books -> meetings (meeting_id));
diesel::joinable!(meeting_advisors -> meetings (meeting_id));
diesel::joinable!(board_posts -> clubs (club_id));
diesel::joinable!(board_comments -> board_posts (post_id));
diesel::joinable!(monthly_reports -> clubs (club_id));
diesel::joinable!(report_versions -> monthly_reports (report_id));
diesel::joinable!(evaluation_criteria -> evaluation_rounds (round_id));
diesel::joinable!(results_reports -> clubs (club_id));
diesel::joinable!(evaluation_assignments -> clubs (club_id));
diesel::joinable!(evaluation_assignments -> employees (evaluator_id));
diesel::joinable!(evaluation_scores -> evaluation_assignments (assignment_id));
diesel::joinable!(evaluation_scores -> evaluation_criteria (criterion_id));
diesel::joinable!(evaluation_awards -> clubs (club_id));
diesel::joinable!(top_contributors -> clubs (club_id));
diesel::joinable!(top_contributors -> employees (employee_id));
diesel::joinable!(overseas_recommendations -> employees (employee_id));
diesel::joinable!(overseas_recommendations -> clubs (club_id));
diesel::joinable!(round_evaluators -> employees (employee_id));
diesel::joinable!(ledger_entries -> ledger_movements (movement_id));
diesel::joinable!(ledger_entries -> ledger_accounts (account_id));
diesel::joinable!(ledger_entry_details -> ledger_movements (movement_id));
diesel::joinable!(ledger_balances -> ledger_accounts (account_id));

diesel::table! {
    mileage_rules (id) {
        id -> Text,
        organization_id -> Text,
        activity -> Text,
        version -> Integer,
        valid_from -> Date,
        points -> BigInt,
        daily_limit -> Nullable<Integer>,
        cap_pool -> Text,
        half_year_cap -> Nullable<BigInt>,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    conversion_rules (id) {
        id -> Text,
        organization_id -> Text,
        version -> Integer,
        valid_from -> Date,
        points_per_hour -> BigInt,
        yearly_cap_minutes -> BigInt,
        needs_approval -> Bool,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mileage_earnings (movement_id) {
        movement_id -> Text,
        organization_id -> Text,
        employee_id -> Text,
        activity -> Text,
        cap_pool -> Text,
        event_ref -> Text,
        earned_on -> Date,
        points -> BigInt,
        reverses_id -> Nullable<Text>,
        club_id -> Nullable<Text>,
    }
}

diesel::table! {
    mileage_conversions (id) {
        id -> Text,
        organization_id -> Text,
        employee_id -> Text,
        points -> BigInt,
        minutes -> BigInt,
        year -> Integer,
        rule_version -> Text,
        status -> Text,
        hold_movement_id -> Text,
        grant_movement_id -> Nullable<Text>,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    voucher_rules (id) {
        id -> Text,
        organization_id -> Text,
        activity -> Text,
        version -> Integer,
        valid_from -> Date,
        vouchers -> BigInt,
        top_n -> Nullable<Integer>,
        reason -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    catalog_items (id) {
        id -> Text,
        organization_id -> Text,
        kind -> Text,
        name -> Text,
        description -> Text,
        price -> BigInt,
        stock -> Nullable<Integer>,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    voucher_redemptions (id) {
        id -> Text,
        organization_id -> Text,
        employee_id -> Text,
        item_id -> Text,
        price -> BigInt,
        status -> Text,
        hold_movement_id -> Text,
        refund_movement_id -> Nullable<Text>,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    club_counts (organization_id, status) {
        organization_id -> Text,
        status -> Text,
        clubs -> BigInt,
    }
}

diesel::table! {
    board_marks (organization_id) {
        organization_id -> Text,
        mark -> BigInt,
    }
}

diesel::table! {
    meeting_marks (club_id) {
        club_id -> Text,
        mark -> BigInt,
    }
}

diesel::table! {
    view_marks (organization_id, kind) {
        organization_id -> Text,
        kind -> Text,
        mark -> BigInt,
    }
}

diesel::table! {
    club_sizes (club_id, from_day) {
        club_id -> Text,
        from_day -> Date,
        members -> BigInt,
    }
}

diesel::table! {
    leaderboard_totals (organization_id, period, owner_kind, owner_id) {
        organization_id -> Text,
        period -> Text,
        owner_kind -> Text,
        owner_id -> Text,
        points -> BigInt,
    }
}

diesel::table! {
    leaderboard_choices (employee_id) {
        employee_id -> Text,
        hidden -> Bool,
        chosen_at -> Timestamp,
    }
}

diesel::table! {
    club_leaderboard_defaults (club_id) {
        club_id -> Text,
        hidden -> Bool,
        chosen_by -> Text,
        chosen_at -> Timestamp,
    }
}

diesel::table! {
    knowledge_kings (organization_id, year) {
        organization_id -> Text,
        year -> Integer,
        employee_id -> Text,
        points -> BigInt,
        proposed_employee_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        confirmed_by -> Text,
        confirmed_at -> Timestamp,
    }
}

diesel::table! {
    badge_classes (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        description -> Text,
        criteria -> Text,
        rule -> Nullable<Text>,
        rule_threshold -> Nullable<BigInt>,
        rule_match -> Nullable<Text>,
        tags -> Text,
        alignment_name -> Nullable<Text>,
        alignment_url -> Nullable<Text>,
        valid_months -> Nullable<Integer>,
        colour -> Text,
        image_type -> Text,
        image -> Nullable<Binary>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    badge_awards (id) {
        id -> Text,
        organization_id -> Text,
        badge_class_id -> Text,
        employee_id -> Text,
        achievement_key -> Text,
        recipient_salt -> Text,
        recipient_hash -> Text,
        narrative -> Text,
        evidence_url -> Nullable<Text>,
        issued_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        awarded_by -> Nullable<Text>,
        public -> Bool,
        in_feed -> Bool,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revocation_reason -> Nullable<Text>,
        suspended_at -> Nullable<Timestamp>,
        suspended_by -> Nullable<Text>,
        suspension_reason -> Nullable<Text>,
        credential_jwt -> Text,
        status_index -> BigInt,
    }
}

diesel::table! {
    badge_signing_keys (id) {
        id -> Text,
        organization_id -> Text,
        private_key_pem -> Text,
        public_jwk -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    badge_status_counters (organization_id) {
        organization_id -> Text,
        next_index -> BigInt,
    }
}

diesel::joinable!(voucher_redemptions -> catalog_items (item_id));
diesel::joinable!(voucher_redemptions -> employees (employee_id));
diesel::joinable!(badge_awards -> badge_classes (badge_class_id));
diesel::joinable!(badge_awards -> employees (employee_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    job_marks,
    departments,
    employees,
    employee_roles,
    target_rules,
    login_throttle,
    audit_events,
    clubs,
    memberships,
    join_requests,
    study_tasks,
    meetings,
    meeting_attendance,
    meeting_books,
    meeting_advisors,
    board_posts,
    board_comments,
    holidays,
    monthly_reports,
    report_versions,
    reminders,
    outbox,
    evaluation_rounds,
    evaluation_criteria,
    prize_tiers,
    round_evaluators,
    results_reports,
    results_reopenings,
    evaluation_assignments,
    evaluation_scores,
    evaluation_awards,
    top_contributors,
    overseas_recommendations,
    ledger_accounts,
    ledger_movements,
    ledger_entries,
    ledger_entry_details,
    ledger_chain,
    ledger_balances,
    hours_rules,
    mileage_rules,
    conversion_rules,
    mileage_earnings,
    mileage_conversions,
    voucher_rules,
    catalog_items,
    voucher_redemptions,
    leaderboard_totals,
    club_counts,
    club_sizes,
    board_marks,
    view_marks,
    meeting_marks,
    leaderboard_choices,
    club_leaderboard_defaults,
    knowledge_kings,
    badge_classes,
    badge_awards,
    badge_signing_keys,
    badge_status_counters,
);

// Target progress sums a person's hours by source, across the two tables.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    ledger_accounts::owner_id,
    ledger_movements::source,
    ledger_movements::reverses_id,
);
