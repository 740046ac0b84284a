-- A cheap 64-bit checksum of each secret key, so the bad-key limiter can let a valid key through
-- from a locked-out address without spending a SHA-256 on every key of a flood (Accounts.quickCheck).
-- It is not a secret's hash in the security sense: the key is long and random, and 64 bits of it
-- say nothing the stored SHA-256 does not. NULL for keys registered before this column existed
-- until their next successful authentication fills it.
ALTER TABLE api_keys ADD COLUMN quick_check BIGINT;
