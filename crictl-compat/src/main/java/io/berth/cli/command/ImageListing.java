package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageFilter;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ListImagesRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** crictl's ListImages: the RPC with a name filter, its sort order, and the --filter conditions. */
final class ImageListing {
    private ImageListing() {
    }

    static List<Image> list(Session s, String nameFilter, List<String> conditions) {
        ListImagesRequest request = ListImagesRequest.newBuilder()
                .setFilter(ImageFilter.newBuilder().setImage(ImageSpec.newBuilder().setImage(nameFilter == null ? "" : nameFilter)))
                .build();
        List<Image> images = CriCommand.imageRpc(s, "listing images", () -> s.image().listImages(request)).getImagesList();
        images = ImageNames.sorted(images, ImageNames::lessByRef);
        if (conditions != null && !conditions.isEmpty() && !images.isEmpty()) {
            try {
                images = filter(images, conditions);
            } catch (IllegalArgumentException e) {
                throw new CliException("listing images: filter images: " + e.getMessage());
            }
        }
        return images;
    }

    static List<Image> filter(List<Image> images, List<String> filters) {
        List<Image> filtered = new ArrayList<>(images);
        for (String f : filters) {
            if (f.startsWith("before=")) {
                List<Image> reversed = new ArrayList<>(filtered);
                Collections.reverse(reversed);
                filtered = beforeSince(f.substring("before=".length()), reversed);
                Collections.reverse(filtered);
            } else if (f.startsWith("dangling=")) {
                String v = f.substring("dangling=".length());
                List<Image> out = new ArrayList<>();
                for (Image img : filtered) {
                    if ((v.equals("true") && img.getRepoTagsCount() == 0) || (v.equals("false") && img.getRepoTagsCount() > 0)) {
                        out.add(img);
                    }
                }
                filtered = out;
            } else if (f.startsWith("reference=")) {
                String v = f.substring("reference=".length());
                Pattern re;
                try {
                    re = Pattern.compile(v);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("error parsing regexp: " + e.getDescription());
                }
                List<Image> out = new ArrayList<>();
                for (Image img : filtered) {
                    String name = ImageNames.repoDigest(img.getRepoDigestsList())[0];
                    if (re.matcher(name).find() || name.equals(v)) {
                        out.add(img);
                    }
                }
                filtered = out;
            } else if (f.startsWith("since=")) {
                filtered = beforeSince(f.substring("since=".length()), filtered);
            } else {
                throw new IllegalArgumentException("unknown filter flag: " + f);
            }
        }
        return filtered;
    }

    /** crictl's filterByBeforeSince: the images listed before the one the value names. */
    private static List<Image> beforeSince(String value, List<Image> images) {
        List<Image> out = new ArrayList<>();
        boolean hasColon = value.contains(":");
        boolean hasAt = value.contains("@");
        for (Image img : images) {
            if (hasColon && !hasAt) {
                String name = ImageNames.repoDigest(img.getRepoDigestsList())[0];
                String[] pair = ImageNames.repoTagPairs(img.getRepoTagsList(), name).get(0);
                if ((pair[0] + ":" + pair[1]).equals(value)) {
                    break;
                }
                out.add(img);
            }
            if (!hasColon && !hasAt) {
                if (img.getId().startsWith(value)) {
                    break;
                }
                out.add(img);
            }
            if (hasColon && hasAt) {
                if (img.getRepoDigestsCount() > 0) {
                    if (img.getRepoDigests(0).startsWith(value)) {
                        break;
                    }
                    out.add(img);
                }
            }
        }
        return out;
    }
}
