CREATE TABLE `feed` (
  `id` INTEGER NOT NULL,
  title VARCHAR(10) NOT NULL DEFAULT 'x',
  amount NUMERIC(10,2),
  PRIMARY KEY (`id`),
  KEY feed_title (title)
);
