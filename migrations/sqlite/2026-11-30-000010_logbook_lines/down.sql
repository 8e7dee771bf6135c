DROP TABLE logbook_lines;
