INSERT INTO feed (id, is_enabled, source_type, title, updated_at, total_downloads, explicit) VALUES
  ('f1', 1, 'channel', 'First', '2025-06-25 00:00:00', 2, 'YES'),
  ('f2', 0, 'playlist', NULL, '2025-06-25 00:00:00', 0, 'NO'),
  ('f3', 1, 'single', 'Third', '2025-06-25 00:00:00', 1, 'CLEAN');
INSERT INTO download (feed_id, id, title, filesize, status, updated_at) VALUES
  ('f1', 'a', 'A', 100, 'DOWNLOADED', '2025-06-25 00:00:00'),
  ('f1', 'b', 'B', 200, 'DOWNLOADED', '2025-06-25 00:00:00'),
  ('f1', 'c', 'C', 300, 'QUEUED', '2025-06-25 00:00:00'),
  ('f3', 'd', 'D', 400, 'DOWNLOADED', '2025-06-25 00:00:00');
