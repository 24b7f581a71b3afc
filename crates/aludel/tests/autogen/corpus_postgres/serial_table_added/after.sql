CREATE TABLE other (id integer PRIMARY KEY);
CREATE TABLE event (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
