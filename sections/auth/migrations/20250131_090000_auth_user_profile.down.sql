-- Reverses 20250131_090000_auth_user_profile.up.sql
DROP INDEX auth.session_user_id_idx;

ALTER TABLE auth.session
    DROP CONSTRAINT session_user_agent_length,
    DROP COLUMN user_agent,
    DROP COLUMN created_at;

ALTER TABLE auth."user"
    DROP COLUMN updated_at,
    DROP COLUMN email_verified,
    DROP COLUMN display_name;
