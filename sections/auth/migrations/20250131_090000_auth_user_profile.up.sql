-- Section `auth`: profile fields on users, metadata on sessions.
ALTER TABLE auth."user"
    ADD COLUMN display_name varchar(100),
    ADD COLUMN email_verified boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE auth.session
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN user_agent text,
    ADD CONSTRAINT session_user_agent_length CHECK (char_length(user_agent) <= 512);

CREATE INDEX session_user_id_idx ON auth.session (user_id);
