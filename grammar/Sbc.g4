// The sbc policy language. ANTLR4 grammar; the generated parser is used only by
// compiler/syntax, which turns its parse tree into the project's own AST.
grammar Sbc;

policy      : item* EOF ;

item        : importDecl
            | sbcDecl
            | logLevelDecl
            | letDecl
            | enumDecl
            | interfaceDecl
            | aliasesDecl
            | networksDecl
            | tlsDecl
            | limitsDecl
            | dispatcherDecl
            | databaseDecl
            | tableDecl
            | dialogDecl
            | httpDecl
            | handlerDecl
            ;

importDecl    : 'import' STRING ;
sbcDecl       : 'sbc' STRING ;
logLevelDecl  : 'log' 'level' IDENT ;
letDecl       : 'let' IDENT '=' expr ;
enumDecl      : 'enum' IDENT '{' ident (',' ident)* ','? '}' ;
aliasesDecl   : 'aliases' expr (',' expr)* ;
networksDecl  : 'networks' IDENT '=' expr (',' expr)* ;

interfaceDecl : 'interface' IDENT '{' interfaceMember* '}' ;
interfaceMember
            : 'sip' transport=ident bind=hostPort ('advertise' adv=hostPort)?
              ('name' name=STRING)? ('tls' profile=IDENT)?                     # sipListener
            | 'rtp' addr=expr ('advertise' adv=expr)? 'ports' lo=INT '..' hi=INT  # rtpRange
            ;
hostPort    : expr (':' INT)? ;

// tls server NAME { versions 1.2+ certificate "…" key "…" ca "…" verify off require off }
tlsDecl     : 'tls' role=('server' | 'client') name=IDENT? '{' tlsMember* '}' ;
tlsMember   : 'versions' lo=tlsVersion (plus='+' | '..' hi=tlsVersion)?         # tlsVersions
            | key=('certificate' | 'key' | 'ca' | 'ciphers') STRING             # tlsFile
            | key=('verify' | 'require') onOff                                  # tlsSwitch
            ;
tlsVersion  : INT '.' INT ;
onOff       : 'on' | 'off' ;

// limits { tcp max_connections 2048 lifetime 3605s }
limitsDecl  : 'limits' '{' limitLine* '}' ;
limitLine   : transport=ident limitSetting+ ;
limitSetting: IDENT (INT | DURATION) ;

dispatcherDecl : 'dispatcher' name=IDENT 'via' face=IDENT transport=ident '{' dispatcherMember* '}' ;
dispatcherMember
            : uri destinationAttr*                                              # destination
            | 'pick' IDENT                                                      # pick
            | 'probe' method=IDENT 'every' DURATION 'from' uri
              ('accept' codes+=INT (',' codes+=INT)*)? ('threshold' threshold=INT)?
              probeMode=IDENT?                                                  # probe
            ;
destinationAttr : IDENT (STRING | INT) ;

// database main = mysql "mysql://user@host:3306/db" password env "DB_PASSWORD" refresh 30s
databaseDecl  : 'database' name=IDENT '=' engine=IDENT STRING databaseOption* ;
databaseOption: 'password' source=('env' | 'file') STRING                      # passwordOption
              | 'refresh' DURATION                                              # refreshOption
              | 'seed' STRING                                                   # seedOption
              ;
// table routing in main key sipdomain: string { name: string  location: location }
tableDecl   : 'table' name=IDENT 'in' database=IDENT 'key' keyColumn=ident ':' keyType=typeRef
              '{' column* '}' ;
column      : ident ':' typeRef ;
typeRef     : ident ;

// dialog { location: location  sipproto: transport }
dialogDecl  : 'dialog' '{' column* '}' ;

// http 127.0.0.20:8090 { health, metrics } token env "SBC_HTTP_TOKEN"
httpDecl    : 'http' hostPort ('{' ident (',' ident)* '}')? ('token' source=('env' | 'file') STRING)? ;

handlerDecl : 'on' 'request' IDENT block                                        # requestHandler
            | 'on' 'reply' replyCode ('from' IDENT)? block                      # replyHandler
            | 'on' 'failure' ('from' IDENT)? block                              # failureHandler
            ;
replyCode   : INT | STATUS_CLASS ;

block       : '{' statement* '}' ;
statement   : 'if' expr block ('else' (ifElse=statement | elseBlock=block))?   # ifStmt
            | 'match' expr '{' matchArm+ '}'                                    # matchStmt
            | 'media' 'relay' 'from' expr 'to' expr ('as' profile=expr)?        # mediaStmt
            | 'forward' 'to' target ('via' face=expr transport=expr?)?          # forwardStmt
            | 'retry' 'next'                                                    # retryStmt
            | 'reply' INT STRING?                                               # replyStmt
            | 'log' level=IDENT? STRING                                         # logStmt
            | 'dialog' '.' ident '=' expr                                       # dialogAssign
            | 'header' op=('add' | 'set') STRING '=' expr                       # headerSet
            | 'header' 'remove' STRING                                          # headerRemove
            ;
matchArm    : 'some' '(' IDENT ')' '=>' (block | statement)                     # someArm
            | 'none' '=>' (block | statement)                                   # noneArm
            ;
target      : 'ruri'                                                            # ruriTarget
            | uri                                                               # uriTarget
            | IDENT                                                             # namedTarget
            ;

// Alternatives bind tighter the earlier they come: `not ruri is myself` is
// `not (ruri is myself)`, and `a or b and c` is `a or (b and c)`.
expr        : '(' expr ')'                                   # parenExpr
            | expr '.' ident                                 # memberExpr
            | expr '[' expr ']'                              # lookupExpr
            | ident '(' (expr (',' expr)*)? ')'              # callExpr
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
            | 'relay' | 'media' | 'sip' | 'rtp' | 'tls' | 'key' | 'level' | 'dialog'
            | 'header' | 'server' | 'client' | 'ca' | 'certificate' | 'ciphers'
            | 'verify' | 'require' | 'versions' | 'limits' | 'database' | 'table'
            | 'password' | 'env' | 'file' | 'refresh' | 'http' | 'token' | 'reply'
            | 'failure' | 'retry' | 'next' | 'some' | 'none' | 'add' | 'set'
            | 'remove' | 'enum' | 'import' | 'off' | 'dispatcher' | 'interface' | 'networks'
            | 'aliases' | 'let' | 'sbc' | 'log' | 'match' | 'forward' | 'seed' ;

// Longest match makes `sip:…` a URI and `sip` a keyword, `10s` a duration and
// `10.0.0.0/8` a CIDR before their pieces could be read as numbers.
SIP_URI     : ('sip' | 'sips') ':' [a-zA-Z0-9_.~%!$&'*+=@;?/:[\]\-]+ ;
CIDR        : OCTETS '/' [0-9]+ ;
STATUS_CLASS: [1-6] 'xx' ;
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
