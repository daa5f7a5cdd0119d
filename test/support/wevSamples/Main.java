/* The reference's Java sample: the same signRequest, with the JDK's MD5, HMAC, hex, Base64 and HTTP client in place of Apache's. */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.text.SimpleDateFormat;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TimeZone;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Main {

    public static void main(String[] args) throws Exception {
        String API_KEY = System.getenv("WEV_APP_ID");
        String SECRET_KEY = System.getenv("WEV_SECRET");

        String url = System.getenv("WEV_URL");

        /*
         * Date format pattern used to parse HTTP date headers in RFC
         * 1123format.
         */
        SimpleDateFormat format = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US);
        format.setTimeZone(TimeZone.getTimeZone(System.getenv().getOrDefault("WEV_TZ", "GMT")));
        String date = format.format(new Date());

        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET()
            .header("Date", date)
            .header("Authorization", signRequest("GET", "", date, url, API_KEY, SECRET_KEY))
            .build();

        HttpResponse<String> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(res.statusCode());
        System.out.println(res.body());
    }

    public static String signRequest(String method, String body, String date, String path, String apiKey, String secretKey) throws Exception {
        /* Build the string we should sign */
        MessageDigest md = MessageDigest.getInstance("MD5");
        String toSign = method + "\n" + HexFormat.of().formatHex(md.digest(body.getBytes())) + "\n" + date + "\n" + path;

        /* Now we can calculate our signature */
        SecretKeySpec keySpec = new SecretKeySpec(secretKey.getBytes(), "HmacSHA256");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(keySpec);
        byte[] result = mac.doFinal(toSign.getBytes());

        /* And finally return the header */
        return "WEV " + apiKey + ":" + new String(Base64.getEncoder().encode(result));
    }
}
