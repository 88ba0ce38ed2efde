-- Section `auth`: users, sessions and the link from users to customer profiles.
-- Runs after the customer section's first migration (it references customer.customer_profile).
CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE auth."user" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) UNIQUE NOT NULL,
    password_hash text,
    created_at timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE auth.session (
    id text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES auth."user" (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);

-- The one foreign key that crosses sections (auth -> customer).
CREATE TABLE auth.user_customer (
    user_id uuid NOT NULL REFERENCES auth."user" (id) ON DELETE CASCADE,
    customer_id integer NOT NULL REFERENCES customer.customer_profile (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, customer_id)
);

COMMENT ON TABLE auth."user" IS 'Login accounts.';
COMMENT ON COLUMN auth.user_customer.customer_id IS 'customer.customer_profile.id (cross-section foreign key).';
