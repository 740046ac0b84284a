-- The spec's maxLength counts characters (code points, as JSON Schema does), and so does the
-- server's validation; H2 counts VARCHAR lengths in UTF-16 units, where a character outside the
-- Basic Multilingual Plane (an emoji, many CJK extension characters) takes two. So a column holding
-- up to n characters needs room for 2n units.
ALTER TABLE customers ALTER COLUMN email SET DATA TYPE VARCHAR(1024);
ALTER TABLE customers ALTER COLUMN name SET DATA TYPE VARCHAR(512);
ALTER TABLE customers ALTER COLUMN description SET DATA TYPE VARCHAR(2000);
ALTER TABLE payments ALTER COLUMN description SET DATA TYPE VARCHAR(2000);
