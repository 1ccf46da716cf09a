package io.berth.cli.command;

import io.berth.cri.v1.Image;
import java.util.ArrayList;
import io.berth.cli.format.GoStrings;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/** crictl's image name helpers: repo/tag pairs and digests for the images table, and its sort order. */
final class ImageNames {
    private static final String NONE = "<none>";
    /** go-digest: algorithm:hex, with the hex length each registered algorithm requires. */
    private static final Pattern DIGEST = Pattern.compile("^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$");

    private ImageNames() {
    }

    /** crictl's normalizeRepoTagPair. */
    static List<String[]> repoTagPairs(List<String> repoTags, String imageName) {
        List<String[]> pairs = new ArrayList<>();
        if (repoTags.isEmpty()) {
            pairs.add(new String[] {imageName, NONE});
            return pairs;
        }
        for (String repoTag : repoTags) {
            int idx = repoTag.lastIndexOf(':');
            if (idx == -1) {
                pairs.add(new String[] {"errorRepoTag", "errorRepoTag"});
                continue;
            }
            String name = repoTag.substring(0, idx);
            if (name.equals(NONE)) {
                name = imageName;
            }
            pairs.add(new String[] {name, repoTag.substring(idx + 1)});
        }
        return pairs;
    }

    /** crictl's normalizeRepoDigest: {repo, digest} of the first repo digest. */
    static String[] repoDigest(List<String> repoDigests) {
        if (repoDigests.isEmpty()) {
            return new String[] {NONE, NONE};
        }
        String[] parts = repoDigests.get(0).split("@", -1);
        if (parts.length != 2) {
            return new String[] {"errorName", "errorRepoDigest"};
        }
        return parts;
    }

    static boolean isDigest(String s) {
        return DIGEST.matcher(s).matches();
    }

    /** crictl's imageByRef "less": first repo tag, else first repo digest, else id. */
    static boolean lessByRef(Image a, Image b) {
        if (a.getRepoTagsCount() > 0 && b.getRepoTagsCount() > 0) {
            return GoStrings.compare(a.getRepoTags(0), b.getRepoTags(0)) < 0;
        }
        if (a.getRepoDigestsCount() > 0 && b.getRepoDigestsCount() > 0) {
            return GoStrings.compare(a.getRepoDigests(0), b.getRepoDigests(0)) < 0;
        }
        return GoStrings.compare(a.getId(), b.getId()) < 0;
    }

    /**
     * Sorts with a "less" that need not be a total order (crictl's imageByRef is not), where
     * Java's List.sort could throw; an insertion sort gives the order Go's sort gives for small lists.
     */
    static <T> List<T> sorted(List<T> items, BiPredicate<T, T> less) {
        List<T> out = new ArrayList<>(items);
        for (int i = 1; i < out.size(); i++) {
            for (int j = i; j > 0 && less.test(out.get(j), out.get(j - 1)); j--) {
                T t = out.get(j);
                out.set(j, out.get(j - 1));
                out.set(j - 1, t);
            }
        }
        return out;
    }
}
