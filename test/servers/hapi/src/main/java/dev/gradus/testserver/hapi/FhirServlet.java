package dev.gradus.testserver.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR REST layer: HAPI's RestfulServer with the JPA providers. */
@Configuration
public class FhirServlet {

	@Bean
	public RestfulServer restfulServer(
			FhirContext fhirContext,
			ResourceProviderFactory resourceProviders,
			JpaSystemProvider<?, ?> systemProvider,
			IFhirSystemDao<?, ?> systemDao,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport,
			DatabaseBackedPagingProvider pagingProvider) {
		RestfulServer server = new RestfulServer(fhirContext);
		// One provider per resource type: read/vread/create/update/delete/search/_history.
		server.registerProviders(resourceProviders.createProviders());
		// System level: POST / (transaction and batch Bundles), /_history, $meta.
		server.registerProvider(systemProvider);
		// GET /metadata from what is really registered (search params, interactions).
		server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
				server, systemDao, storageSettings, searchParamRegistry, validationSupport));
		// Search results are kept in the database and paged with next links (?_getpages=...).
		server.setPagingProvider(pagingProvider);
		// Everything else (JSON by default, ETags on, base URL taken from the request) is
		// RestfulServer's default.
		return server;
	}
}
