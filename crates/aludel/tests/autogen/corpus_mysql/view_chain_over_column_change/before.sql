CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL);
CREATE VIEW account_v AS SELECT id, balance FROM account;
CREATE VIEW rich AS SELECT id, balance FROM account_v WHERE balance > 100;
