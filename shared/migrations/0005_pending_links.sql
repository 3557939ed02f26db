-- depends: 0001_initial
-- Pending links: a consent the callback completed, waiting for the person who started the flow to
-- confirm it with their own bearer. Kept apart from connections, which the engine and timers read.

CREATE TABLE pending_links (
    link_hash                bytea PRIMARY KEY,
    user_id                  text NOT NULL,
    provider                 text NOT NULL,
    provider_user_id         text NOT NULL,
    account_label            text,
    scopes                   text[] NOT NULL DEFAULT '{}',
    token_key_id             text,
    access_token_enc         bytea,
    refresh_token_enc        bytea,
    access_token_expires_at  timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    expires_at               timestamptz NOT NULL,
    used_at                  timestamptz
);

-- timer_expire_pending_links: links past their expiry.
CREATE INDEX pending_links_expires_at ON pending_links (expires_at);

-- The provider account as its owner knows it (an e-mail), shown once connected; never a token.
ALTER TABLE connections ADD COLUMN account_label text;
