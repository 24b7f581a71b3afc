INSERT INTO tag (id, label, slug) VALUES (1, 'Rust', 'rust'), (2, 'rust', 'Rust');
