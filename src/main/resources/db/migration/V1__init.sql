-- Breakwater schema. Written to run on H2 (MODE=PostgreSQL) and on PostgreSQL.
-- Every listable table has `seq`, a monotonic row number: the keyset for cursor pagination,
-- indexed per (account, filter, seq) so a deep page reads only the rows it returns.

CREATE TABLE settings (
    name  VARCHAR(64) PRIMARY KEY,
    setting_value VARCHAR(512) NOT NULL
);

CREATE TABLE accounts (
    id         VARCHAR(64) PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key_hash   VARCHAR(64) PRIMARY KEY,
    account_id VARCHAR(64) NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          VARCHAR(32) NOT NULL UNIQUE,
    account_id  VARCHAR(64) NOT NULL,
    created     BIGINT NOT NULL,
    email       VARCHAR(512),
    name        VARCHAR(256),
    description VARCHAR(1000),
    metadata    VARCHAR(40000) NOT NULL,
    version     INTEGER NOT NULL
);
CREATE INDEX customers_account_seq ON customers (account_id, seq);

CREATE TABLE payments (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                  VARCHAR(32) NOT NULL UNIQUE,
    account_id          VARCHAR(64) NOT NULL,
    created             BIGINT NOT NULL,
    amount              BIGINT NOT NULL,
    amount_capturable   BIGINT NOT NULL,
    amount_captured     BIGINT NOT NULL,
    amount_refunded     BIGINT NOT NULL,
    currency            VARCHAR(3) NOT NULL,
    status              VARCHAR(32) NOT NULL,
    capture_method      VARCHAR(16) NOT NULL,
    customer_id         VARCHAR(32),
    description         VARCHAR(1000),
    payment_method      VARCHAR(64) NOT NULL,
    failure_code        VARCHAR(64),
    failure_message     VARCHAR(256),
    metadata            VARCHAR(40000) NOT NULL,
    processor_charge_id VARCHAR(64),
    CONSTRAINT payments_amounts CHECK (amount_captured <= amount AND amount_refunded <= amount_captured)
);
CREATE INDEX payments_account_seq ON payments (account_id, seq);
CREATE INDEX payments_account_customer_seq ON payments (account_id, customer_id, seq);
CREATE INDEX payments_account_status_seq ON payments (account_id, status, seq);

CREATE TABLE refunds (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         VARCHAR(32) NOT NULL UNIQUE,
    account_id VARCHAR(64) NOT NULL,
    created    BIGINT NOT NULL,
    payment_id VARCHAR(32) NOT NULL,
    amount     BIGINT NOT NULL,
    currency   VARCHAR(3) NOT NULL,
    reason     VARCHAR(32),
    status     VARCHAR(16) NOT NULL,
    metadata   VARCHAR(40000) NOT NULL
);
CREATE INDEX refunds_account_seq ON refunds (account_id, seq);
CREATE INDEX refunds_account_payment_seq ON refunds (account_id, payment_id, seq);

CREATE TABLE events (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         VARCHAR(32) NOT NULL UNIQUE,
    account_id VARCHAR(64) NOT NULL,
    created    BIGINT NOT NULL,
    type       VARCHAR(64) NOT NULL,
    data       VARCHAR(60000) NOT NULL
);
CREATE INDEX events_account_seq ON events (account_id, seq);
CREATE INDEX events_account_type_seq ON events (account_id, type, seq);

-- One row per (account, Idempotency-Key): the durable source of truth for retries.
-- locked_at marks an attempt in flight; recovery_point says how far the last attempt got.
CREATE TABLE idempotency_keys (
    id               VARCHAR(40) PRIMARY KEY,
    account_id       VARCHAR(64) NOT NULL,
    idempotency_key  VARCHAR(255) NOT NULL,
    request_method   VARCHAR(8) NOT NULL,
    request_path     VARCHAR(256) NOT NULL,
    fingerprint      VARCHAR(64) NOT NULL,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    last_run_at      BIGINT NOT NULL,
    locked_at        BIGINT,
    locked_by        VARCHAR(40),
    recovery_point   VARCHAR(32) NOT NULL,
    resource_id      VARCHAR(32),
    response_status  INTEGER,
    response_headers VARCHAR(2000),
    response_body    VARCHAR(65536),
    CONSTRAINT idempotency_keys_account_key UNIQUE (account_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- The sandbox processor's own ledger: what an external processor would remember.
CREATE TABLE sandbox_operations (
    processor_key VARCHAR(64) PRIMARY KEY,
    operation     VARCHAR(16) NOT NULL,
    reference     VARCHAR(64),
    charge_id     VARCHAR(64),
    amount        BIGINT NOT NULL,
    currency      VARCHAR(3),
    outcome       VARCHAR(16) NOT NULL,
    decline_code  VARCHAR(64),
    created_at    BIGINT NOT NULL
);
