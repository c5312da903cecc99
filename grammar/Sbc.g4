// The sbc policy language. ANTLR4 grammar; the generated parser is used only by
// compiler/syntax, which turns its parse tree into the project's own AST.
grammar Sbc;

policy      : item* EOF ;

item        : sbcDecl
            | letDecl
            | interfaceDecl
            | aliasesDecl
            | networksDecl
            | dispatcherDecl
            | handlerDecl
            ;

sbcDecl       : 'sbc' STRING ;
letDecl       : 'let' IDENT '=' expr ;
aliasesDecl   : 'aliases' expr (',' expr)* ;
networksDecl  : 'networks' IDENT '=' expr (',' expr)* ;

interfaceDecl : 'interface' IDENT '{' interfaceMember* '}' ;
interfaceMember
            : 'sip' transport=IDENT bind=hostPort ('advertise' adv=hostPort)?
              ('name' name=STRING)?                                             # sipListener
            | 'rtp' addr=expr ('advertise' adv=expr)? 'ports' lo=INT '..' hi=INT  # rtpRange
            ;
hostPort    : expr (':' INT)? ;

dispatcherDecl : 'dispatcher' name=IDENT 'via' face=IDENT transport=IDENT '{' dispatcherMember* '}' ;
dispatcherMember
            : uri destinationAttr*                                              # destination
            | 'pick' IDENT                                                      # pick
            | 'probe' method=IDENT 'every' DURATION 'from' uri
              ('accept' codes+=INT (',' codes+=INT)*)? ('threshold' threshold=INT)?
              probeMode=IDENT?                                                     # probe
            ;
destinationAttr : IDENT (STRING | INT) ;

handlerDecl : 'on' 'request' IDENT block ;

block       : '{' statement* '}' ;
statement   : 'if' expr block ('else' (ifElse=statement | elseBlock=block))?   # ifStmt
            | 'media' 'relay' 'from' expr 'to' expr ('as' ident)?               # mediaStmt
            | 'forward' 'to' target ('via' face=IDENT transport=IDENT?)?        # forwardStmt
            | 'reply' INT STRING?                                               # replyStmt
            | 'log' level=IDENT? STRING                                         # logStmt
            ;
target      : 'ruri'                                                            # ruriTarget
            | uri                                                               # uriTarget
            | IDENT                                                             # namedTarget
            ;

// Alternatives bind tighter the earlier they come: `not ruri is myself` is
// `not (ruri is myself)`, and `a or b and c` is `a or (b and c)`.
expr        : '(' expr ')'                                   # parenExpr
            | expr '.' ident                                 # memberExpr
            | expr 'is' 'myself'                             # isMyselfExpr
            | expr 'in' IDENT                                # inExpr
            | expr op=('==' | '!=') expr                     # compareExpr
            | 'not' expr                                     # notExpr
            | expr 'and' expr                                # andExpr
            | expr 'or' expr                                 # orExpr
            | <assoc=right> expr '?' expr ':' expr           # condExpr
            | literal                                        # literalExpr
            | ident                                          # nameExpr
            ;
literal     : STRING | INT | IPV4 | IPV6 | CIDR | DURATION | uri | 'true' | 'false' ;
uri         : SIP_URI ;

// Words that are keywords in one place stay usable as names elsewhere
// (`from.user`, a table column called `name`).
ident       : IDENT | 'from' | 'to' | 'name' | 'ruri' | 'via' | 'ports' | 'every'
            | 'accept' | 'threshold' | 'pick' | 'probe' | 'advertise' | 'request'
            | 'relay' | 'media' | 'sip' | 'rtp' ;

// Longest match makes `sip:…` a URI and `sip` a keyword, `10s` a duration and
// `10.0.0.0/8` a CIDR before their pieces could be read as numbers.
SIP_URI     : ('sip' | 'sips') ':' [a-zA-Z0-9_.~%!$&'*+=@;?/:[\]\-]+ ;
CIDR        : OCTETS '/' [0-9]+ ;
IPV4        : OCTETS ;
IPV6        : '[' [0-9a-fA-F:.]+ ']' ;
DURATION    : [0-9]+ ('ms' | 's' | 'm' | 'h') ;
INT         : [0-9]+ ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
// A string the line ends inside; only matched when STRING cannot be, so the parser
// can say "unterminated string" instead of a puzzle about a stray quote.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' .)* ;
IDENT       : [a-zA-Z_] [a-zA-Z0-9_]* ;
LINE_COMMENT: '//' ~[\r\n]* -> channel(HIDDEN) ;
HASH_COMMENT: '#' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT: '/*' .*? '*/' -> channel(HIDDEN) ;
WS          : [ \t\r\n]+ -> skip ;
ERROR_CHAR  : . ;

fragment OCTETS : [0-9]+ '.' [0-9]+ '.' [0-9]+ '.' [0-9]+ ;
