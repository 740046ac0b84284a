-- Payments listed with both filters (?customer=..&status=..) get their own keyset index. Without it
-- the query walks (account_id, customer_id, seq) and discards the customer's payments in other
-- statuses one by one, so a page could read a large customer's whole history to find a few rows.
CREATE INDEX payments_account_customer_status_seq ON payments (account_id, customer_id, status, seq);
