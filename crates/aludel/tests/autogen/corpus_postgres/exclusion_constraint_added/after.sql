CREATE TABLE booking (id integer PRIMARY KEY, during tsrange NOT NULL, CONSTRAINT booking_no_overlap EXCLUDE USING gist (during WITH &&));
