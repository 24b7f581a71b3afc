CREATE TABLE item (id integer PRIMARY KEY, size integer NOT NULL, changed timestamptz);
CREATE FUNCTION item_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER item_touch BEFORE UPDATE OF size ON item FOR EACH ROW EXECUTE FUNCTION item_touch();
CREATE TRIGGER item_big AFTER INSERT ON item FOR EACH ROW WHEN (NEW.size > 100) EXECUTE FUNCTION item_touch();
