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
 * <li>with neither: no AWS variables at all;</li>
 * <li>then the function's own variables from Cargo.toml and --env-file ({@link CargoEnv}, {@link #withCargoEnv}),
 * which win over the above.</li>
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
    private final CargoEnv cargo;

    private FunctionEnv(AppTables app, LocalAws local, Map<String, String> realAws, String managementEndpoint, CargoEnv cargo) {
        this.app = app;
        this.local = local;
        this.realAws = realAws;
        this.managementEndpoint = managementEndpoint;
        this.cargo = cargo;
    }

    /** Tables only: no AWS variables. */
    static FunctionEnv of(AppTables app) {
        return new FunctionEnv(app, null, null, null, CargoEnv.NONE);
    }

    static FunctionEnv local(AppTables app, LocalAws local) {
        return new FunctionEnv(app, local, null, null, CargoEnv.NONE);
    }

    /** The caller's credential variables (from `callerEnv`, normally System.getenv()) go to every function. */
    static FunctionEnv realAws(AppTables app, Map<String, String> callerEnv) {
        Map<String, String> pass = new LinkedHashMap<>();
        for (String k : CREDENTIAL_VARIABLES) {
            String v = callerEnv.get(k);
            if (v != null && !v.isEmpty()) pass.put(k, v);
        }
        return new FunctionEnv(app, null, pass, null, CargoEnv.NONE);
    }

    /** The same, with the @connections API of a local gateway (for manageConnections functions). */
    FunctionEnv withManagementEndpoint(String url) {
        return new FunctionEnv(app, local, realAws, url, cargo);
    }

    /**
     * The same, with each function's own variables (Cargo.toml's env tables, --env-file) on top. With real AWS, an
     * endpoint variable there that points at this machine is refused: the caller's credentials never go to a local
     * endpoint.
     */
    FunctionEnv withCargoEnv(CargoEnv c) {
        if (realAws != null) {
            for (String kv : c.endpoints()) {
                String host;
                try {
                    host = java.net.URI.create(kv.substring(kv.indexOf('=') + 1).trim()).getHost();
                } catch (IllegalArgumentException e) {
                    host = null;
                }
                if (host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")
                        || host.equals("0.0.0.0")) {
                    throw new Cli.UserError(ExitCode.USAGE, kv + " (Cargo.toml or --env-file) is not an AWS endpoint, and --aws gives the "
                            + "functions your own credentials, which never go to a local endpoint: remove it, or run with --local-aws");
                }
            }
        }
        return new FunctionEnv(app, local, realAws, managementEndpoint, c);
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
        env.putAll(cargo.forFunction(name));
        return env;
    }
}
