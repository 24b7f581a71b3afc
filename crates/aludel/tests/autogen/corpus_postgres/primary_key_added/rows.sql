INSERT INTO tag VALUES ('a', NULL), ('b', 'x');
