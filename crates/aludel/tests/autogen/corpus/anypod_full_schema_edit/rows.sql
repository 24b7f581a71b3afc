INSERT INTO feed (id, source_type, source_url, title, explicit) VALUES
  ('f1', 'channel', 'https://example.com/c', 'First', 'YES'),
  ('f2', 'playlist', 'https://example.com/p', NULL, 'NO');
INSERT INTO download (feed_id, id, source_url, title, published, ext, mime_type, filesize, duration, status) VALUES
  ('f1', 'a', 'https://example.com/a', 'A', '2025-06-01', 'mp4', 'video/mp4', 100, 60, 'DOWNLOADED'),
  ('f1', 'b', 'https://example.com/b', 'B', '2025-06-02', 'mp4', 'video/mp4', 200, 60, 'QUEUED'),
  ('f2', 'c', 'https://example.com/c', 'C', '2025-06-03', 'm4a', 'audio/mp4', 300, 60, 'DOWNLOADED');
UPDATE download SET status = 'DOWNLOADED' WHERE id = 'b';
