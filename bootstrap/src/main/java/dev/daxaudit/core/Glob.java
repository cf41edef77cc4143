package dev.daxaudit.core;

/**
 * An include/exclude glob: {@code *} matches within one path component, {@code **} across components, {@code ?}
 * one character other than '/', a backslash quotes the next character. A glob without '/' is matched against the
 * file's name, as in .gitignore, any other against the absolute path. Matched in time proportional to glob length
 * times path length, never by backtracking: the JDK's glob matcher turns {@code *a*a*a*…} into a regular expression
 * that backtracks exponentially (found by fuzzing), and the agent matches every mapped file against the globs.
 */
public final class Glob {
    private static final char LITERAL = 0;
    private static final char ANY = 1;
    private static final char STAR = 2;
    private static final char GLOBSTAR = 3;

    private final char[] kinds;
    private final char[] chars;
    private final boolean nameOnly;

    private Glob(char[] kinds, char[] chars, boolean nameOnly) {
        this.kinds = kinds;
        this.chars = chars;
        this.nameOnly = nameOnly;
    }

    /** The glob; IllegalArgumentException for character classes and alternatives, which are not supported. */
    public static Glob compile(String glob) {
        StringBuilder kinds = new StringBuilder();
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                kinds.append(LITERAL);
                chars.append(glob.charAt(++i));
            } else if (c == '*') {
                boolean two = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++; // any run of stars is one wildcard: '**' or longer crosses components
                }
                kinds.append(two ? GLOBSTAR : STAR);
                chars.append(c);
            } else if (c == '?') {
                kinds.append(ANY);
                chars.append(c);
            } else if (c == '[' || c == '{') {
                throw new IllegalArgumentException("'" + c + "' is not supported");
            } else {
                kinds.append(LITERAL);
                chars.append(c);
            }
        }
        return new Glob(kinds.toString().toCharArray(), chars.toString().toCharArray(), glob.indexOf('/') < 0);
    }

    public boolean matches(String path) {
        String text = nameOnly ? path.substring(path.lastIndexOf('/') + 1) : path;
        int n = text.length();
        boolean[] row = new boolean[n + 1];
        boolean[] next = new boolean[n + 1];
        row[0] = true; // the empty glob prefix matches the empty text prefix
        for (int i = 0; i < kinds.length; i++) {
            char kind = kinds[i];
            next[0] = (kind == STAR || kind == GLOBSTAR) && row[0];
            for (int j = 1; j <= n; j++) {
                char t = text.charAt(j - 1);
                switch (kind) {
                    case STAR -> next[j] = row[j] || next[j - 1] && t != '/';
                    case GLOBSTAR -> next[j] = row[j] || next[j - 1];
                    case ANY -> next[j] = row[j - 1] && t != '/';
                    default -> next[j] = row[j - 1] && t == chars[i];
                }
            }
            boolean[] swap = row;
            row = next;
            next = swap;
        }
        return row[n];
    }
}
