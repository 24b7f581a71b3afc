-- The generated column and the check still compute with integers.
SELECT g = 259 FROM t WHERE id = 1;
SELECT count(*) = 0 FROM t WHERE flags & 1 = 0;
