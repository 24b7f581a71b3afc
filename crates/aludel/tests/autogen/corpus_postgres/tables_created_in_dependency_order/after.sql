CREATE TABLE z_base (id integer PRIMARY KEY);
CREATE TABLE m_mid (id integer PRIMARY KEY, base integer REFERENCES z_base (id));
CREATE TABLE a_child (id integer PRIMARY KEY, m_mid integer REFERENCES m_mid (id));
