CREATE TABLE note (id integer PRIMARY KEY, body text, updated timestamptz, version integer NOT NULL DEFAULT 0);
CREATE FUNCTION note_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER note_touch BEFORE UPDATE ON note FOR EACH ROW EXECUTE FUNCTION note_touch();
