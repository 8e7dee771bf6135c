DROP TABLE team_reviews;
