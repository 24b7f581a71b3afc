CREATE TABLE download (id integer PRIMARY KEY, filesize bigint NOT NULL, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER download_touch BEFORE UPDATE OF filesize ON download
    FOR EACH ROW WHEN (OLD.filesize IS DISTINCT FROM NEW.filesize) EXECUTE FUNCTION touch();
