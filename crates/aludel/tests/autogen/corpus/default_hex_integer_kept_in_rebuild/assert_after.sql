-- A row taking the default after the rebuild gets the integer 16, not a blob.
INSERT INTO t (id) VALUES (99) RETURNING typeof(flags) = 'integer' AND flags = 16;
DELETE FROM t WHERE id = 99 RETURNING 1;
