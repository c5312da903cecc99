-- The article's routing table (MySQL `routing`), for the loopback SBC's SQLite database.
-- Outbound calls from the media servers to these domains leave through the external face.
CREATE TABLE IF NOT EXISTS routing (
    sipdomain VARCHAR(512) NOT NULL PRIMARY KEY,
    name      VARCHAR(255) NOT NULL,
    location  VARCHAR(16)  NOT NULL,
    sipproto  VARCHAR(16)  NOT NULL,
    rtpproto  VARCHAR(16)  NOT NULL
);
INSERT OR REPLACE INTO routing VALUES ('127.0.0.40', 'carrier-udp', 'ext', 'udp', 'rtp');
INSERT OR REPLACE INTO routing VALUES ('127.0.0.41', 'carrier-tls', 'ext', 'tls', 'srtp');
