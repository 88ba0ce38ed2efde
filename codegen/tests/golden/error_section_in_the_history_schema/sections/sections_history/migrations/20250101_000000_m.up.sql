CREATE SCHEMA sections_history;
