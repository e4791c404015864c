package io.kprom.promql.rules.template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses Go text/template syntax: text, actions with trim markers and comments, pipelines,
 * variables, {@code if}/{@code else if}/{@code else}/{@code with}/{@code range}/{@code end},
 * {@code break}/{@code continue}. Function names and variables are checked at parse time as Go
 * does, so unknown functions fail when the rule file loads. Not thread-safe; one per parse.
 */
final class TemplateParser {
    private final String name;
    private final String text;
    private final Set<String> functions;
    private int position;
    private final List<Set<String>> scopes = new ArrayList<>();
    private int rangeDepth;

    // Tokens of the current action.
    private List<String> tokens;
    private int tokenIndex;
    private int actionLine;

    TemplateParser(String name, String text, Set<String> functions, Set<String> predeclared) {
        this.name = name;
        this.text = text;
        this.functions = functions;
        scopes.add(new HashSet<>(predeclared));
    }

    List<TemplateNode> parse() throws TemplateException {
        List<TemplateNode> nodes = new ArrayList<>();
        String end = parseList(nodes);
        if (end != null) {
            throw error(actionLine, "unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /** Parses nodes until {{end}} or {{else...}}; returns that keyword (with its rest) or null at EOF. */
    private String parseList(List<TemplateNode> nodes) throws TemplateException {
        StringBuilder pendingText = new StringBuilder();
        while (position < text.length()) {
            int open = text.indexOf("{{", position);
            if (open < 0) {
                pendingText.append(text, position, text.length());
                position = text.length();
                break;
            }
            String before = text.substring(position, open);
            int start = open + 2;
            boolean trimLeft = start + 1 < text.length() && text.charAt(start) == '-'
                    && Character.isWhitespace(text.charAt(start + 1));
            if (trimLeft) {
                before = before.stripTrailing();
                start += 2;
            }
            pendingText.append(before);
            actionLine = lineAt(open);
            int close = findClose(start);
            if (close < 0) {
                throw error(actionLine, "unclosed action");
            }
            int contentEnd = close;
            boolean trimRight = close >= 2 && text.charAt(close - 1) == '-' && Character.isWhitespace(text.charAt(close - 2));
            if (trimRight) {
                contentEnd = close - 2;
            }
            String content = text.substring(start, Math.max(start, contentEnd)).trim();
            position = close + 2;
            if (trimRight) {
                while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                    position++;
                }
            }
            if (content.startsWith("/*")) {
                if (!content.endsWith("*/")) {
                    throw error(actionLine, "unclosed comment");
                }
                continue;
            }
            if (pendingText.length() > 0) {
                nodes.add(new TemplateNode.Text(pendingText.toString()));
                pendingText.setLength(0);
            }
            tokens = tokenize(content, actionLine);
            tokenIndex = 0;
            if (tokens.isEmpty()) {
                throw error(actionLine, "missing value for command");
            }
            String first = tokens.get(0);
            switch (first) {
                case "end" -> {
                    expectEndOfAction(1);
                    return "end";
                }
                case "else" -> {
                    return "else";
                }
                case "if", "with", "range" -> nodes.add(parseControl(first, 1));
                case "break", "continue" -> {
                    if (rangeDepth == 0) {
                        throw error(actionLine, "{{" + first + "}} outside {{range}}");
                    }
                    expectEndOfAction(1);
                    nodes.add(new TemplateNode.LoopControl(first, actionLine));
                }
                case "define", "template", "block" ->
                    throw error(actionLine, "{{" + first + "}} is not supported in kprom alert templates");
                default -> nodes.add(new TemplateNode.Action(actionLine, parsePipeline(true, false)));
            }
        }
        if (pendingText.length() > 0) {
            nodes.add(new TemplateNode.Text(pendingText.toString()));
        }
        return null;
    }

    private TemplateNode parseControl(String keyword, int pipelineStart) throws TemplateException {
        int line = actionLine;
        tokenIndex = pipelineStart;
        scopes.add(new HashSet<>());
        if (keyword.equals("range")) {
            rangeDepth++;
        }
        TemplateNode.Pipeline pipeline = parsePipeline(true, keyword.equals("range"));
        List<TemplateNode> body = new ArrayList<>();
        String end = parseList(body);
        if (keyword.equals("range")) {
            rangeDepth--;
        }
        scopes.remove(scopes.size() - 1);
        List<TemplateNode> elseBody = new ArrayList<>();
        if (end == null) {
            throw error(line, "unexpected EOF");
        }
        if (end.equals("else")) {
            if (tokens.size() > 1 && (tokens.get(1).equals("if") || tokens.get(1).equals("with"))
                    && tokens.get(1).equals(keyword)) {
                // {{else if ...}} is an if nested in the else branch sharing our {{end}}.
                scopes.add(new HashSet<>());
                TemplateNode nested = parseControl(keyword, 2);
                scopes.remove(scopes.size() - 1);
                elseBody.add(nested);
                return new TemplateNode.Control(keyword, line, pipeline, body, elseBody);
            }
            expectEndOfAction(1);
            scopes.add(new HashSet<>());
            String elseEnd = parseList(elseBody);
            scopes.remove(scopes.size() - 1);
            if (!"end".equals(elseEnd)) {
                throw error(line, elseEnd == null ? "unexpected EOF" : "expected end; found {{else}}");
            }
        }
        return new TemplateNode.Control(keyword, line, pipeline, body, elseBody);
    }

    private void expectEndOfAction(int index) throws TemplateException {
        if (tokens.size() > index) {
            throw error(actionLine, "unexpected \"" + tokens.get(index) + "\" in " + tokens.get(0));
        }
    }

    private TemplateNode.Pipeline parsePipeline(boolean topLevel, boolean allowTwoVariables) throws TemplateException {
        List<String> variables = new ArrayList<>();
        boolean declare = true;
        int save = tokenIndex;
        if (peek() != null && peek().startsWith("$") && !peek().contains(".")) {
            String first = next();
            if (allowTwoVariables && ",".equals(peek())) {
                next();
                String second = next();
                if (second == null || !second.startsWith("$")) {
                    throw error(actionLine, "range can only initialize variables");
                }
                variables.add(first);
                variables.add(second);
            } else {
                variables.add(first);
            }
            String op = peek();
            if (":=".equals(op) || "=".equals(op)) {
                next();
                declare = op.equals(":=");
            } else {
                variables.clear();
                tokenIndex = save;
            }
        }
        List<TemplateNode.Command> commands = new ArrayList<>();
        while (true) {
            commands.add(parseCommand());
            String token = peek();
            if ("|".equals(token)) {
                next();
                continue;
            }
            if (token == null || ")".equals(token) && !topLevel) {
                break;
            }
            throw error(actionLine, "unexpected \"" + token + "\" in operand");
        }
        for (String variable : variables) {
            if (declare) {
                scopes.get(scopes.size() - 1).add(variable);
            } else {
                checkVariable(variable);
            }
        }
        return new TemplateNode.Pipeline(variables, declare, commands);
    }

    private TemplateNode.Command parseCommand() throws TemplateException {
        List<TemplateNode.Operand> operands = new ArrayList<>();
        while (peek() != null && !"|".equals(peek()) && !")".equals(peek())) {
            operands.add(parseOperand());
        }
        if (operands.isEmpty()) {
            throw error(actionLine, "missing value for command");
        }
        return new TemplateNode.Command(operands);
    }

    private TemplateNode.Operand parseOperand() throws TemplateException {
        String token = next();
        if (token.equals("(")) {
            TemplateNode.Pipeline inner = parsePipeline(false, false);
            if (!")".equals(next())) {
                throw error(actionLine, "unclosed left paren");
            }
            List<String> fields = new ArrayList<>();
            while (peek() != null && peek().startsWith(".") && peek().length() > 1) {
                fields.addAll(splitFields(next().substring(1)));
            }
            return new TemplateNode.SubPipeline(inner, fields);
        }
        if (token.startsWith("\"") || token.startsWith("`")) {
            return new TemplateNode.Literal(unquote(token));
        }
        if (token.startsWith("'")) {
            return new TemplateNode.Literal((long) unquote(token).codePointAt(0));
        }
        if (token.equals(".")) {
            return new TemplateNode.Field(List.of());
        }
        if (token.startsWith(".")) {
            return new TemplateNode.Field(splitFields(token.substring(1)));
        }
        if (token.startsWith("$")) {
            int dot = token.indexOf('.');
            String variable = dot < 0 ? token : token.substring(0, dot);
            checkVariable(variable);
            return new TemplateNode.Variable(variable, dot < 0 ? List.of() : splitFields(token.substring(dot + 1)));
        }
        if (token.equals("true") || token.equals("false")) {
            return new TemplateNode.Literal(Boolean.parseBoolean(token));
        }
        if (token.equals("nil")) {
            return new TemplateNode.Literal(null);
        }
        char c = token.charAt(0);
        if (Character.isDigit(c) || (c == '-' || c == '+' || c == '.') && token.length() > 1) {
            return new TemplateNode.Literal(parseNumber(token));
        }
        if (Character.isLetter(c) || c == '_') {
            if (!functions.contains(token)) {
                throw error(actionLine, "function \"" + token + "\" not defined");
            }
            return new TemplateNode.Function(token);
        }
        throw error(actionLine, "unexpected \"" + token + "\" in operand");
    }

    private Object parseNumber(String token) throws TemplateException {
        try {
            if (token.matches("[+-]?\\d+")) {
                return Long.parseLong(token);
            }
            if (token.matches("[+-]?0[xX][0-9a-fA-F]+")) {
                boolean negative = token.startsWith("-");
                String digits = token.replaceFirst("^[+-]?0[xX]", "");
                long value = Long.parseLong(digits, 16);
                return negative ? -value : value;
            }
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw error(actionLine, "bad number syntax: \"" + token + "\"");
        }
    }

    private void checkVariable(String variable) throws TemplateException {
        if (variable.equals("$")) {
            return;
        }
        for (Set<String> scope : scopes) {
            if (scope.contains(variable)) {
                return;
            }
        }
        throw error(actionLine, "undefined variable \"" + variable + "\"");
    }

    private static List<String> splitFields(String chain) {
        List<String> fields = new ArrayList<>();
        for (String part : chain.split("\\.")) {
            if (!part.isEmpty()) {
                fields.add(part);
            }
        }
        return fields;
    }

    private String peek() {
        return tokenIndex < tokens.size() ? tokens.get(tokenIndex) : null;
    }

    private String next() throws TemplateException {
        if (tokenIndex >= tokens.size()) {
            throw error(actionLine, "unexpected end of action");
        }
        return tokens.get(tokenIndex++);
    }

    private int findClose(int from) {
        int i = from;
        while (i < text.length() - 1) {
            char c = text.charAt(i);
            if (c == '"' || c == '`' || c == '\'') {
                int end = c == '`' ? text.indexOf('`', i + 1) : skipQuoted(i, c);
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
                continue;
            }
            if (c == '}' && text.charAt(i + 1) == '}') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private int skipQuoted(int start, char quote) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private List<String> tokenize(String content, int line) throws TemplateException {
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '|' || c == ',') {
                result.add(String.valueOf(c));
                i++;
            } else if (c == ':' && i + 1 < content.length() && content.charAt(i + 1) == '=') {
                result.add(":=");
                i += 2;
            } else if (c == '=' && (i + 1 >= content.length() || content.charAt(i + 1) != '=')) {
                result.add("=");
                i++;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < content.length() && content.charAt(end) != c) {
                    if (content.charAt(end) == '\\') {
                        end++;
                    }
                    end++;
                }
                if (end >= content.length()) {
                    throw error(line, "unterminated quoted string");
                }
                result.add(content.substring(i, end + 1));
                i = end + 1;
            } else if (c == '`') {
                int end = content.indexOf('`', i + 1);
                if (end < 0) {
                    throw error(line, "unterminated raw quoted string");
                }
                result.add(content.substring(i, end + 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < content.length()) {
                    char d = content.charAt(end);
                    if (Character.isWhitespace(d) || d == '(' || d == ')' || d == '|' || d == ',' || d == '"'
                            || d == '`' || d == ':' && end + 1 < content.length() && content.charAt(end + 1) == '='
                            || d == '=' && end > i) {
                        break;
                    }
                    end++;
                }
                if (end == i) {
                    throw error(line, "unexpected \"" + c + "\" in command");
                }
                result.add(content.substring(i, end));
                i = end;
            }
        }
        return result;
    }

    private String unquote(String token) throws TemplateException {
        if (token.startsWith("`")) {
            return token.substring(1, token.length() - 1);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = token.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                case '"' -> sb.append('"');
                case '\'' -> sb.append('\'');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'x' -> {
                    sb.append((char) Integer.parseInt(token.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    sb.append((char) Integer.parseInt(token.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw error(actionLine, "invalid syntax: " + token);
            }
        }
        return sb.toString();
    }

    private int lineAt(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private TemplateException error(int line, String message) {
        return new TemplateException("template: " + name + ":" + line + ": " + message);
    }
}
