DROP TABLE election_candidates;
DROP TABLE elections;
DROP TABLE staffing_decisions;
