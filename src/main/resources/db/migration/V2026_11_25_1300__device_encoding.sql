-- The character encoding a device's terminal output is displayed in. Only the display decodes:
-- tunnels and stored data stay raw bytes.
alter table devices add column encoding varchar(16) not null default 'utf-8'
    check (encoding in ('utf-8', 'latin-1', 'cp437'));
