-- a comment; with a semicolon
/* block ; comment */ SELECT "Quoted", `b;q` FROM s /* trailing */;