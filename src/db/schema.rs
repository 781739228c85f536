//! One schema for both backends (kept by hand; see migrations/*).

diesel::table! {
    departments (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employees (id) {
        id -> Text,
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

diesel::joinable!(employees -> departments (department_id));
diesel::joinable!(employee_roles -> employees (employee_id));

diesel::allow_tables_to_appear_in_same_query!(
    departments,
    employees,
    employee_roles,
    target_rules,
    login_throttle,
    audit_events,
);
