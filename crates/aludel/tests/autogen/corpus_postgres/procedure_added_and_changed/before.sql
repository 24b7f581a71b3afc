CREATE TABLE audit (id serial PRIMARY KEY, msg text);
CREATE PROCEDURE log_msg(m text) LANGUAGE sql AS $$ INSERT INTO audit (msg) VALUES (m) $$;
