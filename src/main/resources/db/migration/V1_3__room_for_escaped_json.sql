-- JSON columns sized for the worst case the request limits allow, not the typical one. A metadata
-- value of 500 control characters is 500 characters to the schema but 3,000 once serialized
-- (each one escaped as \u00XX), so 50 such keys (the most allowed) need ~162,000 characters, and a
-- stored response or event carrying that metadata a little more. Found while checking a spec-fuzzer
-- finding about metadata lengths (the fuzzer now generates such bodies): a 63 KB body within every
-- documented limit overflowed metadata VARCHAR(40000) and got a 500.
-- VARCHAR is variable-length: the larger bound costs nothing for the usual small values.
ALTER TABLE customers ALTER COLUMN metadata SET DATA TYPE VARCHAR(1000000);
ALTER TABLE payments ALTER COLUMN metadata SET DATA TYPE VARCHAR(1000000);
ALTER TABLE refunds ALTER COLUMN metadata SET DATA TYPE VARCHAR(1000000);
ALTER TABLE events ALTER COLUMN data SET DATA TYPE VARCHAR(1000000);
ALTER TABLE idempotency_keys ALTER COLUMN response_body SET DATA TYPE VARCHAR(1000000);
