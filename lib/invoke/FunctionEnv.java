import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables the local run gives one function on top of Lambda's own (FunctionProcess.lambdaEnv), and
 * under --env. One call: {@link #forFunction(String)}, a new map each time, for whatever starts a function
 * (invoke-lambda, --serve, a gateway):
 * <ul>
 * <li>every table of app.json the function may use (readWrite or read): its env variable = its name, which
 * locally is the table's id;</li>
 * <li>with a local AWS: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_DYNAMODB at moto, the test credentials and
 * region of {@link LocalAws}; AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI at moto too, for the functions of
 * webSocketApi.manageConnections, unless a gateway set its own @connections URL
 * ({@link #withManagementEndpoint});</li>
 * <li>with real AWS: the caller's own AWS_* credential, profile and region variables (and HOME, for
 * ~/.aws), passed as they are and never with a local endpoint;</li>
 * <li>with neither: no AWS variables at all.</li>
 * </ul>
 */
final class FunctionEnv {
    /** The variables of the caller's environment the SDK resolves credentials and region from. */
    static final List<String> CREDENTIAL_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME");

    private final AppTables app;
    private final LocalAws local;
    private final Map<String, String> realAws;
    private final String managementEndpoint;

    private FunctionEnv(AppTables app, LocalAws local, Map<String, String> realAws, String managementEndpoint) {
        this.app = app;
        this.local = local;
        this.realAws = realAws;
        this.managementEndpoint = managementEndpoint;
    }

    /** Tables only: no AWS variables. */
    static FunctionEnv of(AppTables app) {
        return new FunctionEnv(app, null, null, null);
    }

    static FunctionEnv local(AppTables app, LocalAws local) {
        return new FunctionEnv(app, local, null, null);
    }

    /** The caller's credential variables (from `callerEnv`, normally System.getenv()) go to every function. */
    static FunctionEnv realAws(AppTables app, Map<String, String> callerEnv) {
        Map<String, String> pass = new LinkedHashMap<>();
        for (String k : CREDENTIAL_VARIABLES) {
            String v = callerEnv.get(k);
            if (v != null && !v.isEmpty()) pass.put(k, v);
        }
        return new FunctionEnv(app, null, pass, null);
    }

    /** The same, with the @connections API of a local gateway (for manageConnections functions). */
    FunctionEnv withManagementEndpoint(String url) {
        return new FunctionEnv(app, local, realAws, url);
    }

    Map<String, String> forFunction(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        if (local != null) {
            env.put("AWS_ENDPOINT_URL", local.endpoint);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", local.endpoint);
            env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_KEY);
            env.put("AWS_REGION", LocalAws.REGION);
            env.put("AWS_DEFAULT_REGION", LocalAws.REGION);
            if (app.manageConnections().contains(name)) {
                env.put("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", managementEndpoint != null ? managementEndpoint : local.endpoint);
            }
        } else if (realAws != null) {
            env.putAll(realAws);
        }
        for (AppTables.Table t : app.tables()) {
            if (t.functions().contains(name)) env.put(t.env(), t.id());
        }
        return env;
    }
}
