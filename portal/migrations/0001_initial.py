"""Create every table as the schema stood when this was frozen."""

from portal.migrations import dialect

SQLITE = [
    'CREATE TABLE IF NOT EXISTS "practice_settings" ("id" INTEGER NOT NULL '
    'PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "postal_address" TEXT NOT NULL, '
    '"timezone" VARCHAR(255) NOT NULL, "us_state" VARCHAR(2) NOT NULL, '
    '"practice_kind" VARCHAR(255) NOT NULL, "membership_enabled" INTEGER NOT '
    'NULL, "help_phone" VARCHAR(255) NOT NULL, "help_email" VARCHAR(255) NOT '
    'NULL, "brand_primary" VARCHAR(255) NOT NULL, "brand_accent" VARCHAR(255) NOT '
    'NULL, "logo_path" VARCHAR(255) NOT NULL, "sender_name" VARCHAR(255) NOT '
    'NULL, "reply_to" VARCHAR(255) NOT NULL, "allowed_origins" TEXT NOT NULL, '
    '"attribution_window_days" INTEGER NOT NULL, "survey_enabled" INTEGER NOT '
    'NULL, "survey_delay_hours" INTEGER NOT NULL, "invitation_monthly_limit" '
    'INTEGER NOT NULL, "invitation_address_days" INTEGER NOT NULL, '
    '"click_retention_days" INTEGER NOT NULL, "setup_progress" TEXT NOT NULL, '
    '"setup_completed_at" DATETIME, "updated_at" DATETIME NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "location" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "slug" VARCHAR(255) NOT NULL, "address" TEXT '
    'NOT NULL, "active" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "location_slug" ON "location" ("slug")',
    'CREATE TABLE IF NOT EXISTS "service_line" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "name" VARCHAR(255) NOT NULL, "slug" VARCHAR(255) NOT NULL, '
    '"description" TEXT NOT NULL, "referral_enabled" INTEGER NOT NULL, '
    '"sensitive" INTEGER NOT NULL, "active" INTEGER NOT NULL, "position" INTEGER '
    "NOT NULL)",
    'CREATE UNIQUE INDEX IF NOT EXISTS "service_line_slug" ON "service_line" ("slug")',
    'CREATE TABLE IF NOT EXISTS "membership_plan" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "name" VARCHAR(255) NOT NULL, "monthly_fee_cents" INTEGER NOT NULL, '
    '"includes" TEXT NOT NULL, "cancellation_window_days" INTEGER NOT NULL, '
    '"active" INTEGER NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "member" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"external_id" VARCHAR(255), "email" VARCHAR(255), "phone" VARCHAR(255), '
    '"first_name" VARCHAR(255) NOT NULL, "last_name" VARCHAR(255) NOT NULL, '
    '"preferred_language" VARCHAR(8) NOT NULL, "payer_category" VARCHAR(255) NOT '
    'NULL, "us_state" VARCHAR(2) NOT NULL, "household" VARCHAR(255), "plan_id" '
    'INTEGER, "membership_status" VARCHAR(255), "membership_started_on" DATE, '
    '"is_clinician_or_staff" INTEGER NOT NULL, "named_to_friends" INTEGER NOT '
    'NULL, "prompts_opt_out" INTEGER NOT NULL, "email_consent_at" DATETIME, '
    '"sms_consent_at" DATETIME, "recognition_authorized_at" DATETIME, '
    '"consent_version" VARCHAR(255) NOT NULL, "pseudonym" VARCHAR(255), '
    '"erased_at" DATETIME, "created_at" DATETIME NOT NULL, FOREIGN KEY '
    '("plan_id") REFERENCES "membership_plan" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_external_id" ON "member" '
    '("external_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_email" ON "member" ("email")',
    'CREATE INDEX IF NOT EXISTS "member_household" ON "member" ("household")',
    'CREATE INDEX IF NOT EXISTS "member_plan_id" ON "member" ("plan_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_pseudonym" ON "member" ("pseudonym")',
    'CREATE TABLE IF NOT EXISTS "consent" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"member_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "granted" '
    'INTEGER NOT NULL, "version" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT '
    'NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "consent_member_id" ON "consent" ("member_id")',
    'CREATE TABLE IF NOT EXISTS "staff_user" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"email" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "role" '
    'VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "is_clinician" INTEGER NOT '
    'NULL, "session_version" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, '
    '"last_sign_in_at" DATETIME)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "staff_user_email" ON "staff_user" ("email")',
    'CREATE TABLE IF NOT EXISTS "one_time_token" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "nonce" VARCHAR(255) NOT NULL, "purpose" VARCHAR(255) NOT NULL, '
    '"subject_kind" VARCHAR(255) NOT NULL, "subject_id" INTEGER NOT NULL, '
    '"created_at" DATETIME NOT NULL, "expires_at" DATETIME NOT NULL, "used_at" '
    "DATETIME)",
    'CREATE UNIQUE INDEX IF NOT EXISTS "one_time_token_nonce" ON "one_time_token" '
    '("nonce")',
    'CREATE TABLE IF NOT EXISTS "referral_link" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "member_id" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, '
    '"service_line_id" INTEGER, "created_at" DATETIME NOT NULL, "revoked_at" '
    'DATETIME, "revoked_by_id" INTEGER, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("service_line_id") '
    'REFERENCES "service_line" ("id"), FOREIGN KEY ("revoked_by_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "referral_link_member_id" ON "referral_link" '
    '("member_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "referral_link_code" ON "referral_link" '
    '("code")',
    'CREATE INDEX IF NOT EXISTS "referral_link_service_line_id" ON '
    '"referral_link" ("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "referral_link_revoked_by_id" ON "referral_link" '
    '("revoked_by_id")',
    'CREATE TABLE IF NOT EXISTS "click" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"link_id" INTEGER NOT NULL, "channel" VARCHAR(255) NOT NULL, "clicked_at" '
    'DATETIME NOT NULL, "ip_hash" VARCHAR(255), "browser_family" VARCHAR(255) NOT '
    'NULL, "visitor" VARCHAR(255), "prompt_id" VARCHAR(255), FOREIGN KEY '
    '("link_id") REFERENCES "referral_link" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "click_link_id" ON "click" ("link_id")',
    'CREATE INDEX IF NOT EXISTS "click_clicked_at" ON "click" ("clicked_at")',
    'CREATE INDEX IF NOT EXISTS "click_visitor" ON "click" ("visitor")',
    'CREATE TABLE IF NOT EXISTS "invitation" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"inviter_id" INTEGER NOT NULL, "token" VARCHAR(255) NOT NULL, "first_name" '
    'VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "relationship" '
    'VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "inviter_named" INTEGER NOT '
    'NULL, "status" VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, '
    '"sent_at" DATETIME, "opened_at" DATETIME, "joined_at" DATETIME, FOREIGN KEY '
    '("inviter_id") REFERENCES "member" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "invitation_inviter_id" ON "invitation" ("inviter_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "invitation_token" ON "invitation" ("token")',
    'CREATE INDEX IF NOT EXISTS "invitation_email" ON "invitation" ("email")',
    'CREATE INDEX IF NOT EXISTS "invitation_created_at" ON "invitation" ("created_at")',
    'CREATE TABLE IF NOT EXISTS "sign_up" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"kind" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL, '
    '"last_name" VARCHAR(255) NOT NULL, "email" VARCHAR(255), "phone" '
    'VARCHAR(255), "language" VARCHAR(8) NOT NULL, "service_line_id" INTEGER, '
    '"location_id" INTEGER, "plan_id" INTEGER, "how_heard" VARCHAR(255) NOT NULL, '
    '"how_heard_detail" VARCHAR(255) NOT NULL, "code_entered" VARCHAR(255) NOT '
    'NULL, "link_id" INTEGER, "ambassador_id" INTEGER, "channel" VARCHAR(255), '
    '"attribution_method" VARCHAR(255) NOT NULL, "click_id" INTEGER, '
    '"invitation_id" INTEGER, "prompt_id" VARCHAR(255), "utm_source" VARCHAR(255) '
    'NOT NULL, "utm_medium" VARCHAR(255) NOT NULL, "utm_campaign" VARCHAR(255) '
    'NOT NULL, "utm_term" VARCHAR(255) NOT NULL, "utm_content" VARCHAR(255) NOT '
    'NULL, "email_consent" INTEGER NOT NULL, "sms_consent" INTEGER NOT NULL, '
    '"consent_version" VARCHAR(255) NOT NULL, "share_name_with_inviter" INTEGER '
    'NOT NULL, "self_referral" INTEGER NOT NULL, "existing_patient" INTEGER NOT '
    'NULL, "origin" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, '
    '"status_changed_at" DATETIME NOT NULL, "member_id" INTEGER, '
    '"became_patient_at" DATETIME, "retained_at" DATETIME, "created_at" DATETIME '
    'NOT NULL, FOREIGN KEY ("service_line_id") REFERENCES "service_line" ("id"), '
    'FOREIGN KEY ("location_id") REFERENCES "location" ("id"), FOREIGN KEY '
    '("plan_id") REFERENCES "membership_plan" ("id"), FOREIGN KEY ("link_id") '
    'REFERENCES "referral_link" ("id"), FOREIGN KEY ("ambassador_id") REFERENCES '
    '"member" ("id"), FOREIGN KEY ("click_id") REFERENCES "click" ("id") ON '
    'DELETE SET NULL, FOREIGN KEY ("invitation_id") REFERENCES "invitation" '
    '("id"), FOREIGN KEY ("member_id") REFERENCES "member" ("id"))',
    'CREATE INDEX IF NOT EXISTS "sign_up_email" ON "sign_up" ("email")',
    'CREATE INDEX IF NOT EXISTS "sign_up_service_line_id" ON "sign_up" '
    '("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_location_id" ON "sign_up" ("location_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_plan_id" ON "sign_up" ("plan_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_link_id" ON "sign_up" ("link_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_ambassador_id" ON "sign_up" ("ambassador_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_click_id" ON "sign_up" ("click_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_invitation_id" ON "sign_up" ("invitation_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_status" ON "sign_up" ("status")',
    'CREATE INDEX IF NOT EXISTS "sign_up_member_id" ON "sign_up" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_became_patient_at" ON "sign_up" '
    '("became_patient_at")',
    'CREATE INDEX IF NOT EXISTS "sign_up_ambassador_id_created_at" ON "sign_up" '
    '("ambassador_id", "created_at")',
    "CREATE INDEX IF NOT EXISTS "
    '"sign_up_created_at_ambassador_id_how_heard_channel_statu_635282c" ON '
    '"sign_up" ("created_at", "ambassador_id", "how_heard", "channel", "status", '
    '"service_line_id", "location_id")',
    'CREATE TABLE IF NOT EXISTS "visit" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"external_id" VARCHAR(255) NOT NULL, "member_id" INTEGER NOT NULL, '
    '"service_line_id" INTEGER, "location_id" INTEGER, "visited_at" DATETIME NOT '
    'NULL, "amount_cents" INTEGER, "flag_minor" INTEGER NOT NULL, '
    '"flag_adverse_event" INTEGER NOT NULL, "flag_deceased" INTEGER NOT NULL, '
    '"flag_open_complaint" INTEGER NOT NULL, "source" VARCHAR(255) NOT NULL, '
    '"created_at" DATETIME NOT NULL, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("service_line_id") '
    'REFERENCES "service_line" ("id"), FOREIGN KEY ("location_id") REFERENCES '
    '"location" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "visit_external_id" ON "visit" ("external_id")',
    'CREATE INDEX IF NOT EXISTS "visit_member_id" ON "visit" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "visit_service_line_id" ON "visit" ("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "visit_location_id" ON "visit" ("location_id")',
    'CREATE INDEX IF NOT EXISTS "visit_visited_at" ON "visit" ("visited_at")',
    'CREATE INDEX IF NOT EXISTS "visit_member_id_visited_at_amount_cents" ON '
    '"visit" ("member_id", "visited_at", "amount_cents")',
    'CREATE TABLE IF NOT EXISTS "satisfaction_signal" ("id" INTEGER NOT NULL '
    'PRIMARY KEY, "visit_id" INTEGER NOT NULL, "external_id" VARCHAR(255), '
    '"scale" VARCHAR(255) NOT NULL, "score" INTEGER NOT NULL, "recorded_at" '
    'DATETIME NOT NULL, "source" VARCHAR(255) NOT NULL, FOREIGN KEY ("visit_id") '
    'REFERENCES "visit" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "satisfaction_signal_visit_id" ON '
    '"satisfaction_signal" ("visit_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "satisfaction_signal_external_id" ON '
    '"satisfaction_signal" ("external_id")',
    'CREATE TABLE IF NOT EXISTS "prompt_rule" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"service_line_id" INTEGER, "enabled" INTEGER NOT NULL, "nps_min" INTEGER NOT '
    'NULL, "csat_min" INTEGER NOT NULL, "stars_min" INTEGER NOT NULL, '
    '"cooldown_days" INTEGER NOT NULL, "lifetime_limit" INTEGER NOT NULL, '
    '"delay_minutes" INTEGER NOT NULL, "quiet_start" VARCHAR(255) NOT NULL, '
    '"quiet_end" VARCHAR(255) NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN '
    'KEY ("service_line_id") REFERENCES "service_line" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "prompt_rule_service_line_id" ON '
    '"prompt_rule" ("service_line_id")',
    'CREATE TABLE IF NOT EXISTS "prompt" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"visit_id" INTEGER NOT NULL, "member_id" INTEGER NOT NULL, "status" '
    'VARCHAR(255) NOT NULL, "reason_code" VARCHAR(255) NOT NULL, "reason_detail" '
    'TEXT NOT NULL, "rule" TEXT NOT NULL, "decided_at" DATETIME NOT NULL, '
    '"scheduled_for" DATETIME, "sent_at" DATETIME, "opened_at" DATETIME, '
    '"shared_at" DATETIME, "dismissed_at" DATETIME, FOREIGN KEY ("visit_id") '
    'REFERENCES "visit" ("id") ON DELETE CASCADE, FOREIGN KEY ("member_id") '
    'REFERENCES "member" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "prompt_visit_id" ON "prompt" ("visit_id")',
    'CREATE INDEX IF NOT EXISTS "prompt_member_id" ON "prompt" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "prompt_status" ON "prompt" ("status")',
    'CREATE INDEX IF NOT EXISTS "prompt_decided_at" ON "prompt" ("decided_at")',
    'CREATE INDEX IF NOT EXISTS "prompt_scheduled_for" ON "prompt" ("scheduled_for")',
    'CREATE TABLE IF NOT EXISTS "survey" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"visit_id" INTEGER NOT NULL, "scheduled_for" DATETIME NOT NULL, "sent_at" '
    'DATETIME, "answered_at" DATETIME, "score" INTEGER, FOREIGN KEY ("visit_id") '
    'REFERENCES "visit" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "survey_visit_id" ON "survey" ("visit_id")',
    'CREATE INDEX IF NOT EXISTS "survey_scheduled_for" ON "survey" ("scheduled_for")',
    'CREATE TABLE IF NOT EXISTS "recovery_alert" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "visit_id" INTEGER NOT NULL, "member_id" INTEGER NOT NULL, '
    '"wants_contact" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, '
    '"resolved_at" DATETIME, "resolved_by_id" INTEGER, "note" TEXT NOT NULL, '
    'FOREIGN KEY ("visit_id") REFERENCES "visit" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("member_id") REFERENCES "member" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("resolved_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_visit_id" ON "recovery_alert" '
    '("visit_id")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_member_id" ON "recovery_alert" '
    '("member_id")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_created_at" ON "recovery_alert" '
    '("created_at")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_resolved_by_id" ON '
    '"recovery_alert" ("resolved_by_id")',
    'CREATE TABLE IF NOT EXISTS "catalog_item" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, '
    '"description" TEXT NOT NULL, "retail_value_cents" INTEGER NOT NULL, '
    '"cash_equivalent" INTEGER NOT NULL, "needs_authorization" INTEGER NOT NULL, '
    '"active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "policy_version" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "number" INTEGER NOT NULL, "rules" TEXT NOT NULL, "change_note" TEXT '
    'NOT NULL, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, '
    '"signed_by_id" INTEGER, "signed_at" DATETIME, "status" VARCHAR(255) NOT '
    'NULL, FOREIGN KEY ("created_by_id") REFERENCES "staff_user" ("id"), FOREIGN '
    'KEY ("signed_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "policy_version_number" ON '
    '"policy_version" ("number")',
    'CREATE INDEX IF NOT EXISTS "policy_version_created_by_id" ON '
    '"policy_version" ("created_by_id")',
    'CREATE INDEX IF NOT EXISTS "policy_version_signed_by_id" ON "policy_version" '
    '("signed_by_id")',
    'CREATE TABLE IF NOT EXISTS "recognition" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"member_id" INTEGER NOT NULL, "item_id" INTEGER NOT NULL, "value_cents" '
    'INTEGER NOT NULL, "trigger" VARCHAR(255) NOT NULL, "signup_id" INTEGER, '
    '"status" VARCHAR(255) NOT NULL, "policy_version_id" INTEGER, "checks" TEXT '
    'NOT NULL, "year" INTEGER NOT NULL, "proposed_at" DATETIME NOT NULL, '
    '"decided_at" DATETIME, "denial_reason" TEXT NOT NULL, "fulfilled_at" '
    'DATETIME, "fulfilled_by_id" INTEGER, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("item_id") REFERENCES '
    '"catalog_item" ("id"), FOREIGN KEY ("signup_id") REFERENCES "sign_up" '
    '("id"), FOREIGN KEY ("policy_version_id") REFERENCES "policy_version" '
    '("id"), FOREIGN KEY ("fulfilled_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "recognition_member_id" ON "recognition" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_item_id" ON "recognition" ("item_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_signup_id" ON "recognition" ("signup_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_status" ON "recognition" ("status")',
    'CREATE INDEX IF NOT EXISTS "recognition_policy_version_id" ON "recognition" '
    '("policy_version_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_year" ON "recognition" ("year")',
    'CREATE INDEX IF NOT EXISTS "recognition_fulfilled_by_id" ON "recognition" '
    '("fulfilled_by_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "recognition_member_id_trigger_signup_id" '
    'ON "recognition" ("member_id", "trigger", "signup_id")',
    'CREATE TABLE IF NOT EXISTS "approval" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"recognition_id" INTEGER NOT NULL, "staff_id" INTEGER NOT NULL, '
    '"approved_at" DATETIME NOT NULL, FOREIGN KEY ("recognition_id") REFERENCES '
    '"recognition" ("id") ON DELETE CASCADE, FOREIGN KEY ("staff_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "approval_recognition_id" ON "approval" '
    '("recognition_id")',
    'CREATE INDEX IF NOT EXISTS "approval_staff_id" ON "approval" ("staff_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "approval_recognition_id_staff_id" ON '
    '"approval" ("recognition_id", "staff_id")',
    'CREATE TABLE IF NOT EXISTS "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"occurred_at" DATETIME NOT NULL, "actor" VARCHAR(255) NOT NULL, "action" '
    'VARCHAR(255) NOT NULL, "subject" VARCHAR(255) NOT NULL, "detail" TEXT NOT '
    'NULL, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT NULL)',
    'CREATE INDEX IF NOT EXISTS "audit_event_action" ON "audit_event" ("action")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "audit_event_hash" ON "audit_event" ("hash")',
    'CREATE TABLE IF NOT EXISTS "outbox_message" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "kind" VARCHAR(255) NOT NULL, "marketing" INTEGER NOT NULL, "to_email" '
    'VARCHAR(255) NOT NULL, "subject" VARCHAR(255) NOT NULL, "text_body" TEXT NOT '
    'NULL, "html_body" TEXT NOT NULL, "headers" TEXT NOT NULL, "language" '
    'VARCHAR(8) NOT NULL, "status" VARCHAR(255) NOT NULL, "attempts" INTEGER NOT '
    'NULL, "next_attempt_at" DATETIME NOT NULL, "last_error" TEXT NOT NULL, '
    '"created_at" DATETIME NOT NULL, "sent_at" DATETIME, "provider_id" '
    "VARCHAR(255) NOT NULL)",
    'CREATE INDEX IF NOT EXISTS "outbox_message_status" ON "outbox_message" ("status")',
    'CREATE INDEX IF NOT EXISTS "outbox_message_created_at" ON "outbox_message" '
    '("created_at")',
    'CREATE TABLE IF NOT EXISTS "suppression" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"email" VARCHAR(255) NOT NULL, "reason" VARCHAR(255) NOT NULL, "source" '
    'VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "suppression_email" ON "suppression" ("email")',
    'CREATE TABLE IF NOT EXISTS "attribution_event" ("id" INTEGER NOT NULL '
    'PRIMARY KEY, "event_id" VARCHAR(255) NOT NULL, "type" VARCHAR(255) NOT NULL, '
    '"occurred_at" DATETIME NOT NULL, "signup_id" INTEGER, "payload" TEXT NOT '
    'NULL, FOREIGN KEY ("signup_id") REFERENCES "sign_up" ("id") ON DELETE SET '
    "NULL)",
    'CREATE UNIQUE INDEX IF NOT EXISTS "attribution_event_event_id" ON '
    '"attribution_event" ("event_id")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_type" ON "attribution_event" '
    '("type")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_occurred_at" ON '
    '"attribution_event" ("occurred_at")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_signup_id" ON '
    '"attribution_event" ("signup_id")',
    'CREATE TABLE IF NOT EXISTS "api_key" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "prefix" VARCHAR(255) NOT NULL, "key_hash" '
    'VARCHAR(255) NOT NULL, "scope" VARCHAR(255) NOT NULL, "signing_secret" '
    'VARCHAR(255) NOT NULL, "created_at" DATETIME NOT NULL, "revoked_at" '
    'DATETIME, "last_used_at" DATETIME)',
    'CREATE INDEX IF NOT EXISTS "api_key_prefix" ON "api_key" ("prefix")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "api_key_key_hash" ON "api_key" ("key_hash")',
    'CREATE TABLE IF NOT EXISTS "webhook_destination" ("id" INTEGER NOT NULL '
    'PRIMARY KEY, "url" VARCHAR(255) NOT NULL, "secret" VARCHAR(255) NOT NULL, '
    '"event_types" TEXT NOT NULL, "active" INTEGER NOT NULL, "created_by_id" '
    'INTEGER, "created_at" DATETIME NOT NULL, "last_error" TEXT NOT NULL, '
    '"last_success_at" DATETIME, FOREIGN KEY ("created_by_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "webhook_destination_created_by_id" ON '
    '"webhook_destination" ("created_by_id")',
    'CREATE TABLE IF NOT EXISTS "webhook_delivery" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "destination_id" INTEGER NOT NULL, "event_id" INTEGER NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, "attempts" INTEGER NOT NULL, '
    '"next_attempt_at" DATETIME NOT NULL, "last_error" TEXT NOT NULL, '
    '"delivered_at" DATETIME, FOREIGN KEY ("destination_id") REFERENCES '
    '"webhook_destination" ("id") ON DELETE CASCADE, FOREIGN KEY ("event_id") '
    'REFERENCES "attribution_event" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_destination_id" ON '
    '"webhook_delivery" ("destination_id")',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_event_id" ON "webhook_delivery" '
    '("event_id")',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_status" ON "webhook_delivery" '
    '("status")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "webhook_delivery_destination_id_event_id" '
    'ON "webhook_delivery" ("destination_id", "event_id")',
]

POSTGRES = [
    'CREATE TABLE IF NOT EXISTS "practice_settings" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "name" VARCHAR(255) NOT NULL, "postal_address" TEXT NOT NULL, '
    '"timezone" VARCHAR(255) NOT NULL, "us_state" VARCHAR(2) NOT NULL, '
    '"practice_kind" VARCHAR(255) NOT NULL, "membership_enabled" BOOLEAN NOT '
    'NULL, "help_phone" VARCHAR(255) NOT NULL, "help_email" VARCHAR(255) NOT '
    'NULL, "brand_primary" VARCHAR(255) NOT NULL, "brand_accent" VARCHAR(255) NOT '
    'NULL, "logo_path" VARCHAR(255) NOT NULL, "sender_name" VARCHAR(255) NOT '
    'NULL, "reply_to" VARCHAR(255) NOT NULL, "allowed_origins" TEXT NOT NULL, '
    '"attribution_window_days" INTEGER NOT NULL, "survey_enabled" BOOLEAN NOT '
    'NULL, "survey_delay_hours" INTEGER NOT NULL, "invitation_monthly_limit" '
    'INTEGER NOT NULL, "invitation_address_days" INTEGER NOT NULL, '
    '"click_retention_days" INTEGER NOT NULL, "setup_progress" TEXT NOT NULL, '
    '"setup_completed_at" TIMESTAMP, "updated_at" TIMESTAMP NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "location" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "slug" VARCHAR(255) NOT NULL, "address" TEXT '
    'NOT NULL, "active" BOOLEAN NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "location_slug" ON "location" ("slug")',
    'CREATE TABLE IF NOT EXISTS "service_line" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "slug" VARCHAR(255) NOT NULL, "description" '
    'TEXT NOT NULL, "referral_enabled" BOOLEAN NOT NULL, "sensitive" BOOLEAN NOT '
    'NULL, "active" BOOLEAN NOT NULL, "position" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "service_line_slug" ON "service_line" ("slug")',
    'CREATE TABLE IF NOT EXISTS "membership_plan" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "name" VARCHAR(255) NOT NULL, "monthly_fee_cents" INTEGER NOT NULL, '
    '"includes" TEXT NOT NULL, "cancellation_window_days" INTEGER NOT NULL, '
    '"active" BOOLEAN NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "member" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"external_id" VARCHAR(255), "email" VARCHAR(255), "phone" VARCHAR(255), '
    '"first_name" VARCHAR(255) NOT NULL, "last_name" VARCHAR(255) NOT NULL, '
    '"preferred_language" VARCHAR(8) NOT NULL, "payer_category" VARCHAR(255) NOT '
    'NULL, "us_state" VARCHAR(2) NOT NULL, "household" VARCHAR(255), "plan_id" '
    'INTEGER, "membership_status" VARCHAR(255), "membership_started_on" DATE, '
    '"is_clinician_or_staff" BOOLEAN NOT NULL, "named_to_friends" BOOLEAN NOT '
    'NULL, "prompts_opt_out" BOOLEAN NOT NULL, "email_consent_at" TIMESTAMP, '
    '"sms_consent_at" TIMESTAMP, "recognition_authorized_at" TIMESTAMP, '
    '"consent_version" VARCHAR(255) NOT NULL, "pseudonym" VARCHAR(255), '
    '"erased_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY '
    '("plan_id") REFERENCES "membership_plan" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_external_id" ON "member" '
    '("external_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_email" ON "member" ("email")',
    'CREATE INDEX IF NOT EXISTS "member_household" ON "member" ("household")',
    'CREATE INDEX IF NOT EXISTS "member_plan_id" ON "member" ("plan_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "member_pseudonym" ON "member" ("pseudonym")',
    'CREATE TABLE IF NOT EXISTS "consent" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"member_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "granted" '
    'BOOLEAN NOT NULL, "version" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT '
    'NULL, "recorded_at" TIMESTAMP NOT NULL, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "consent_member_id" ON "consent" ("member_id")',
    'CREATE TABLE IF NOT EXISTS "staff_user" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"email" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "role" '
    'VARCHAR(255) NOT NULL, "active" BOOLEAN NOT NULL, "is_clinician" BOOLEAN NOT '
    'NULL, "session_version" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, '
    '"last_sign_in_at" TIMESTAMP)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "staff_user_email" ON "staff_user" ("email")',
    'CREATE TABLE IF NOT EXISTS "one_time_token" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "nonce" VARCHAR(255) NOT NULL, "purpose" VARCHAR(255) NOT NULL, '
    '"subject_kind" VARCHAR(255) NOT NULL, "subject_id" INTEGER NOT NULL, '
    '"created_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "used_at" '
    "TIMESTAMP)",
    'CREATE UNIQUE INDEX IF NOT EXISTS "one_time_token_nonce" ON "one_time_token" '
    '("nonce")',
    'CREATE TABLE IF NOT EXISTS "referral_link" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "member_id" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, '
    '"service_line_id" INTEGER, "created_at" TIMESTAMP NOT NULL, "revoked_at" '
    'TIMESTAMP, "revoked_by_id" INTEGER, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("service_line_id") '
    'REFERENCES "service_line" ("id"), FOREIGN KEY ("revoked_by_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "referral_link_member_id" ON "referral_link" '
    '("member_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "referral_link_code" ON "referral_link" '
    '("code")',
    'CREATE INDEX IF NOT EXISTS "referral_link_service_line_id" ON '
    '"referral_link" ("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "referral_link_revoked_by_id" ON "referral_link" '
    '("revoked_by_id")',
    'CREATE TABLE IF NOT EXISTS "click" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"link_id" INTEGER NOT NULL, "channel" VARCHAR(255) NOT NULL, "clicked_at" '
    'TIMESTAMP NOT NULL, "ip_hash" VARCHAR(255), "browser_family" VARCHAR(255) '
    'NOT NULL, "visitor" VARCHAR(255), "prompt_id" VARCHAR(255), FOREIGN KEY '
    '("link_id") REFERENCES "referral_link" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "click_link_id" ON "click" ("link_id")',
    'CREATE INDEX IF NOT EXISTS "click_clicked_at" ON "click" ("clicked_at")',
    'CREATE INDEX IF NOT EXISTS "click_visitor" ON "click" ("visitor")',
    'CREATE TABLE IF NOT EXISTS "invitation" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"inviter_id" INTEGER NOT NULL, "token" VARCHAR(255) NOT NULL, "first_name" '
    'VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "relationship" '
    'VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "inviter_named" BOOLEAN NOT '
    'NULL, "status" VARCHAR(255) NOT NULL, "created_at" TIMESTAMP NOT NULL, '
    '"sent_at" TIMESTAMP, "opened_at" TIMESTAMP, "joined_at" TIMESTAMP, FOREIGN '
    'KEY ("inviter_id") REFERENCES "member" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "invitation_inviter_id" ON "invitation" ("inviter_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "invitation_token" ON "invitation" ("token")',
    'CREATE INDEX IF NOT EXISTS "invitation_email" ON "invitation" ("email")',
    'CREATE INDEX IF NOT EXISTS "invitation_created_at" ON "invitation" ("created_at")',
    'CREATE TABLE IF NOT EXISTS "sign_up" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"kind" VARCHAR(255) NOT NULL, "first_name" VARCHAR(255) NOT NULL, '
    '"last_name" VARCHAR(255) NOT NULL, "email" VARCHAR(255), "phone" '
    'VARCHAR(255), "language" VARCHAR(8) NOT NULL, "service_line_id" INTEGER, '
    '"location_id" INTEGER, "plan_id" INTEGER, "how_heard" VARCHAR(255) NOT NULL, '
    '"how_heard_detail" VARCHAR(255) NOT NULL, "code_entered" VARCHAR(255) NOT '
    'NULL, "link_id" INTEGER, "ambassador_id" INTEGER, "channel" VARCHAR(255), '
    '"attribution_method" VARCHAR(255) NOT NULL, "click_id" INTEGER, '
    '"invitation_id" INTEGER, "prompt_id" VARCHAR(255), "utm_source" VARCHAR(255) '
    'NOT NULL, "utm_medium" VARCHAR(255) NOT NULL, "utm_campaign" VARCHAR(255) '
    'NOT NULL, "utm_term" VARCHAR(255) NOT NULL, "utm_content" VARCHAR(255) NOT '
    'NULL, "email_consent" BOOLEAN NOT NULL, "sms_consent" BOOLEAN NOT NULL, '
    '"consent_version" VARCHAR(255) NOT NULL, "share_name_with_inviter" BOOLEAN '
    'NOT NULL, "self_referral" BOOLEAN NOT NULL, "existing_patient" BOOLEAN NOT '
    'NULL, "origin" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, '
    '"status_changed_at" TIMESTAMP NOT NULL, "member_id" INTEGER, '
    '"became_patient_at" TIMESTAMP, "retained_at" TIMESTAMP, "created_at" '
    'TIMESTAMP NOT NULL, FOREIGN KEY ("service_line_id") REFERENCES '
    '"service_line" ("id"), FOREIGN KEY ("location_id") REFERENCES "location" '
    '("id"), FOREIGN KEY ("plan_id") REFERENCES "membership_plan" ("id"), FOREIGN '
    'KEY ("link_id") REFERENCES "referral_link" ("id"), FOREIGN KEY '
    '("ambassador_id") REFERENCES "member" ("id"), FOREIGN KEY ("click_id") '
    'REFERENCES "click" ("id") ON DELETE SET NULL, FOREIGN KEY ("invitation_id") '
    'REFERENCES "invitation" ("id"), FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id"))',
    'CREATE INDEX IF NOT EXISTS "sign_up_email" ON "sign_up" ("email")',
    'CREATE INDEX IF NOT EXISTS "sign_up_service_line_id" ON "sign_up" '
    '("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_location_id" ON "sign_up" ("location_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_plan_id" ON "sign_up" ("plan_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_link_id" ON "sign_up" ("link_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_ambassador_id" ON "sign_up" ("ambassador_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_click_id" ON "sign_up" ("click_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_invitation_id" ON "sign_up" ("invitation_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_status" ON "sign_up" ("status")',
    'CREATE INDEX IF NOT EXISTS "sign_up_member_id" ON "sign_up" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "sign_up_became_patient_at" ON "sign_up" '
    '("became_patient_at")',
    'CREATE INDEX IF NOT EXISTS "sign_up_ambassador_id_created_at" ON "sign_up" '
    '("ambassador_id", "created_at")',
    "CREATE INDEX IF NOT EXISTS "
    '"sign_up_created_at_ambassador_id_how_heard_channel_statu_635282c" ON '
    '"sign_up" ("created_at", "ambassador_id", "how_heard", "channel", "status", '
    '"service_line_id", "location_id")',
    'CREATE TABLE IF NOT EXISTS "visit" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"external_id" VARCHAR(255) NOT NULL, "member_id" INTEGER NOT NULL, '
    '"service_line_id" INTEGER, "location_id" INTEGER, "visited_at" TIMESTAMP NOT '
    'NULL, "amount_cents" INTEGER, "flag_minor" BOOLEAN NOT NULL, '
    '"flag_adverse_event" BOOLEAN NOT NULL, "flag_deceased" BOOLEAN NOT NULL, '
    '"flag_open_complaint" BOOLEAN NOT NULL, "source" VARCHAR(255) NOT NULL, '
    '"created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("service_line_id") '
    'REFERENCES "service_line" ("id"), FOREIGN KEY ("location_id") REFERENCES '
    '"location" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "visit_external_id" ON "visit" ("external_id")',
    'CREATE INDEX IF NOT EXISTS "visit_member_id" ON "visit" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "visit_service_line_id" ON "visit" ("service_line_id")',
    'CREATE INDEX IF NOT EXISTS "visit_location_id" ON "visit" ("location_id")',
    'CREATE INDEX IF NOT EXISTS "visit_visited_at" ON "visit" ("visited_at")',
    'CREATE INDEX IF NOT EXISTS "visit_member_id_visited_at_amount_cents" ON '
    '"visit" ("member_id", "visited_at", "amount_cents")',
    'CREATE TABLE IF NOT EXISTS "satisfaction_signal" ("id" SERIAL NOT NULL '
    'PRIMARY KEY, "visit_id" INTEGER NOT NULL, "external_id" VARCHAR(255), '
    '"scale" VARCHAR(255) NOT NULL, "score" INTEGER NOT NULL, "recorded_at" '
    'TIMESTAMP NOT NULL, "source" VARCHAR(255) NOT NULL, FOREIGN KEY ("visit_id") '
    'REFERENCES "visit" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "satisfaction_signal_visit_id" ON '
    '"satisfaction_signal" ("visit_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "satisfaction_signal_external_id" ON '
    '"satisfaction_signal" ("external_id")',
    'CREATE TABLE IF NOT EXISTS "prompt_rule" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"service_line_id" INTEGER, "enabled" BOOLEAN NOT NULL, "nps_min" INTEGER NOT '
    'NULL, "csat_min" INTEGER NOT NULL, "stars_min" INTEGER NOT NULL, '
    '"cooldown_days" INTEGER NOT NULL, "lifetime_limit" INTEGER NOT NULL, '
    '"delay_minutes" INTEGER NOT NULL, "quiet_start" VARCHAR(255) NOT NULL, '
    '"quiet_end" VARCHAR(255) NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN '
    'KEY ("service_line_id") REFERENCES "service_line" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "prompt_rule_service_line_id" ON '
    '"prompt_rule" ("service_line_id")',
    'CREATE TABLE IF NOT EXISTS "prompt" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"visit_id" INTEGER NOT NULL, "member_id" INTEGER NOT NULL, "status" '
    'VARCHAR(255) NOT NULL, "reason_code" VARCHAR(255) NOT NULL, "reason_detail" '
    'TEXT NOT NULL, "rule" TEXT NOT NULL, "decided_at" TIMESTAMP NOT NULL, '
    '"scheduled_for" TIMESTAMP, "sent_at" TIMESTAMP, "opened_at" TIMESTAMP, '
    '"shared_at" TIMESTAMP, "dismissed_at" TIMESTAMP, FOREIGN KEY ("visit_id") '
    'REFERENCES "visit" ("id") ON DELETE CASCADE, FOREIGN KEY ("member_id") '
    'REFERENCES "member" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "prompt_visit_id" ON "prompt" ("visit_id")',
    'CREATE INDEX IF NOT EXISTS "prompt_member_id" ON "prompt" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "prompt_status" ON "prompt" ("status")',
    'CREATE INDEX IF NOT EXISTS "prompt_decided_at" ON "prompt" ("decided_at")',
    'CREATE INDEX IF NOT EXISTS "prompt_scheduled_for" ON "prompt" ("scheduled_for")',
    'CREATE TABLE IF NOT EXISTS "survey" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"visit_id" INTEGER NOT NULL, "scheduled_for" TIMESTAMP NOT NULL, "sent_at" '
    'TIMESTAMP, "answered_at" TIMESTAMP, "score" INTEGER, FOREIGN KEY '
    '("visit_id") REFERENCES "visit" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "survey_visit_id" ON "survey" ("visit_id")',
    'CREATE INDEX IF NOT EXISTS "survey_scheduled_for" ON "survey" ("scheduled_for")',
    'CREATE TABLE IF NOT EXISTS "recovery_alert" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "visit_id" INTEGER NOT NULL, "member_id" INTEGER NOT NULL, '
    '"wants_contact" BOOLEAN NOT NULL, "created_at" TIMESTAMP NOT NULL, '
    '"resolved_at" TIMESTAMP, "resolved_by_id" INTEGER, "note" TEXT NOT NULL, '
    'FOREIGN KEY ("visit_id") REFERENCES "visit" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("member_id") REFERENCES "member" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("resolved_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_visit_id" ON "recovery_alert" '
    '("visit_id")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_member_id" ON "recovery_alert" '
    '("member_id")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_created_at" ON "recovery_alert" '
    '("created_at")',
    'CREATE INDEX IF NOT EXISTS "recovery_alert_resolved_by_id" ON '
    '"recovery_alert" ("resolved_by_id")',
    'CREATE TABLE IF NOT EXISTS "catalog_item" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "description" '
    'TEXT NOT NULL, "retail_value_cents" INTEGER NOT NULL, "cash_equivalent" '
    'BOOLEAN NOT NULL, "needs_authorization" BOOLEAN NOT NULL, "active" BOOLEAN '
    'NOT NULL, "created_at" TIMESTAMP NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "policy_version" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "number" INTEGER NOT NULL, "rules" TEXT NOT NULL, "change_note" TEXT '
    'NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, '
    '"signed_by_id" INTEGER, "signed_at" TIMESTAMP, "status" VARCHAR(255) NOT '
    'NULL, FOREIGN KEY ("created_by_id") REFERENCES "staff_user" ("id"), FOREIGN '
    'KEY ("signed_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE UNIQUE INDEX IF NOT EXISTS "policy_version_number" ON '
    '"policy_version" ("number")',
    'CREATE INDEX IF NOT EXISTS "policy_version_created_by_id" ON '
    '"policy_version" ("created_by_id")',
    'CREATE INDEX IF NOT EXISTS "policy_version_signed_by_id" ON "policy_version" '
    '("signed_by_id")',
    'CREATE TABLE IF NOT EXISTS "recognition" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"member_id" INTEGER NOT NULL, "item_id" INTEGER NOT NULL, "value_cents" '
    'INTEGER NOT NULL, "trigger" VARCHAR(255) NOT NULL, "signup_id" INTEGER, '
    '"status" VARCHAR(255) NOT NULL, "policy_version_id" INTEGER, "checks" TEXT '
    'NOT NULL, "year" INTEGER NOT NULL, "proposed_at" TIMESTAMP NOT NULL, '
    '"decided_at" TIMESTAMP, "denial_reason" TEXT NOT NULL, "fulfilled_at" '
    'TIMESTAMP, "fulfilled_by_id" INTEGER, FOREIGN KEY ("member_id") REFERENCES '
    '"member" ("id") ON DELETE CASCADE, FOREIGN KEY ("item_id") REFERENCES '
    '"catalog_item" ("id"), FOREIGN KEY ("signup_id") REFERENCES "sign_up" '
    '("id"), FOREIGN KEY ("policy_version_id") REFERENCES "policy_version" '
    '("id"), FOREIGN KEY ("fulfilled_by_id") REFERENCES "staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "recognition_member_id" ON "recognition" ("member_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_item_id" ON "recognition" ("item_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_signup_id" ON "recognition" ("signup_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_status" ON "recognition" ("status")',
    'CREATE INDEX IF NOT EXISTS "recognition_policy_version_id" ON "recognition" '
    '("policy_version_id")',
    'CREATE INDEX IF NOT EXISTS "recognition_year" ON "recognition" ("year")',
    'CREATE INDEX IF NOT EXISTS "recognition_fulfilled_by_id" ON "recognition" '
    '("fulfilled_by_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "recognition_member_id_trigger_signup_id" '
    'ON "recognition" ("member_id", "trigger", "signup_id")',
    'CREATE TABLE IF NOT EXISTS "approval" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"recognition_id" INTEGER NOT NULL, "staff_id" INTEGER NOT NULL, '
    '"approved_at" TIMESTAMP NOT NULL, FOREIGN KEY ("recognition_id") REFERENCES '
    '"recognition" ("id") ON DELETE CASCADE, FOREIGN KEY ("staff_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "approval_recognition_id" ON "approval" '
    '("recognition_id")',
    'CREATE INDEX IF NOT EXISTS "approval_staff_id" ON "approval" ("staff_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "approval_recognition_id_staff_id" ON '
    '"approval" ("recognition_id", "staff_id")',
    'CREATE TABLE IF NOT EXISTS "audit_event" ("id" BIGSERIAL NOT NULL PRIMARY '
    'KEY, "occurred_at" TIMESTAMP NOT NULL, "actor" VARCHAR(255) NOT NULL, '
    '"action" VARCHAR(255) NOT NULL, "subject" VARCHAR(255) NOT NULL, "detail" '
    'TEXT NOT NULL, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT '
    "NULL)",
    'CREATE INDEX IF NOT EXISTS "audit_event_action" ON "audit_event" ("action")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "audit_event_hash" ON "audit_event" ("hash")',
    'CREATE TABLE IF NOT EXISTS "outbox_message" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "kind" VARCHAR(255) NOT NULL, "marketing" BOOLEAN NOT NULL, "to_email" '
    'VARCHAR(255) NOT NULL, "subject" VARCHAR(255) NOT NULL, "text_body" TEXT NOT '
    'NULL, "html_body" TEXT NOT NULL, "headers" TEXT NOT NULL, "language" '
    'VARCHAR(8) NOT NULL, "status" VARCHAR(255) NOT NULL, "attempts" INTEGER NOT '
    'NULL, "next_attempt_at" TIMESTAMP NOT NULL, "last_error" TEXT NOT NULL, '
    '"created_at" TIMESTAMP NOT NULL, "sent_at" TIMESTAMP, "provider_id" '
    "VARCHAR(255) NOT NULL)",
    'CREATE INDEX IF NOT EXISTS "outbox_message_status" ON "outbox_message" ("status")',
    'CREATE INDEX IF NOT EXISTS "outbox_message_created_at" ON "outbox_message" '
    '("created_at")',
    'CREATE TABLE IF NOT EXISTS "suppression" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"email" VARCHAR(255) NOT NULL, "reason" VARCHAR(255) NOT NULL, "source" '
    'VARCHAR(255) NOT NULL, "created_at" TIMESTAMP NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "suppression_email" ON "suppression" ("email")',
    'CREATE TABLE IF NOT EXISTS "attribution_event" ("id" BIGSERIAL NOT NULL '
    'PRIMARY KEY, "event_id" VARCHAR(255) NOT NULL, "type" VARCHAR(255) NOT NULL, '
    '"occurred_at" TIMESTAMP NOT NULL, "signup_id" INTEGER, "payload" TEXT NOT '
    'NULL, FOREIGN KEY ("signup_id") REFERENCES "sign_up" ("id") ON DELETE SET '
    "NULL)",
    'CREATE UNIQUE INDEX IF NOT EXISTS "attribution_event_event_id" ON '
    '"attribution_event" ("event_id")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_type" ON "attribution_event" '
    '("type")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_occurred_at" ON '
    '"attribution_event" ("occurred_at")',
    'CREATE INDEX IF NOT EXISTS "attribution_event_signup_id" ON '
    '"attribution_event" ("signup_id")',
    'CREATE TABLE IF NOT EXISTS "api_key" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL, "prefix" VARCHAR(255) NOT NULL, "key_hash" '
    'VARCHAR(255) NOT NULL, "scope" VARCHAR(255) NOT NULL, "signing_secret" '
    'VARCHAR(255) NOT NULL, "created_at" TIMESTAMP NOT NULL, "revoked_at" '
    'TIMESTAMP, "last_used_at" TIMESTAMP)',
    'CREATE INDEX IF NOT EXISTS "api_key_prefix" ON "api_key" ("prefix")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "api_key_key_hash" ON "api_key" ("key_hash")',
    'CREATE TABLE IF NOT EXISTS "webhook_destination" ("id" SERIAL NOT NULL '
    'PRIMARY KEY, "url" VARCHAR(255) NOT NULL, "secret" VARCHAR(255) NOT NULL, '
    '"event_types" TEXT NOT NULL, "active" BOOLEAN NOT NULL, "created_by_id" '
    'INTEGER, "created_at" TIMESTAMP NOT NULL, "last_error" TEXT NOT NULL, '
    '"last_success_at" TIMESTAMP, FOREIGN KEY ("created_by_id") REFERENCES '
    '"staff_user" ("id"))',
    'CREATE INDEX IF NOT EXISTS "webhook_destination_created_by_id" ON '
    '"webhook_destination" ("created_by_id")',
    'CREATE TABLE IF NOT EXISTS "webhook_delivery" ("id" SERIAL NOT NULL PRIMARY '
    'KEY, "destination_id" INTEGER NOT NULL, "event_id" BIGINT NOT NULL, "status" '
    'VARCHAR(255) NOT NULL, "attempts" INTEGER NOT NULL, "next_attempt_at" '
    'TIMESTAMP NOT NULL, "last_error" TEXT NOT NULL, "delivered_at" TIMESTAMP, '
    'FOREIGN KEY ("destination_id") REFERENCES "webhook_destination" ("id") ON '
    'DELETE CASCADE, FOREIGN KEY ("event_id") REFERENCES "attribution_event" '
    '("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_destination_id" ON '
    '"webhook_delivery" ("destination_id")',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_event_id" ON "webhook_delivery" '
    '("event_id")',
    'CREATE INDEX IF NOT EXISTS "webhook_delivery_status" ON "webhook_delivery" '
    '("status")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "webhook_delivery_destination_id_event_id" '
    'ON "webhook_delivery" ("destination_id", "event_id")',
]


def upgrade(db):
    for statement in SQLITE if dialect(db) == "sqlite" else POSTGRES:
        db.execute_sql(statement)
